import { EXEMPT_ANNOTATION } from '../../lib/validate/rule';
import { ALL_RULES } from '../../lib/validate/rules';
import { validateObjects } from '../../lib/validate/validator';
import { stackOf } from '../app/support';
import type { Obj } from '../support';

/** The valid local stack, to break one rule at a time. */
const base = () => structuredClone(stackOf('local'));
const find = (objects: Obj[], kind: string, name = 'todo-backend') => objects.find((o) => o.kind === kind && o.metadata.name === name) as Obj;
const pod = (objects: Obj[]) => find(objects, 'Deployment').spec.template.spec;
const c0 = (objects: Obj[]) => pod(objects).containers[0];
const sc = (objects: Obj[]) => c0(objects).securityContext;

/** For each rule id: a change to the valid stack that breaks exactly that rule. */
const breakers: Record<string, (o: Obj[]) => void> = {
  'pss.hostNamespaces': (o) => { pod(o).hostPID = true; },
  'pss.privileged': (o) => { sc(o).privileged = true; },
  'pss.capabilities_baseline': (o) => { sc(o).capabilities.add = ['SYS_ADMIN']; },
  'pss.hostPathVolumes': (o) => { pod(o).volumes.push({ name: 'host', hostPath: { path: '/var' } }); },
  'pss.hostPorts': (o) => { c0(o).ports[0].hostPort = 8000; },
  'pss.appArmorProfile': (o) => { find(o, 'Deployment').spec.template.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'unconfined'; },
  'pss.seLinuxOptions': (o) => { sc(o).seLinuxOptions = { type: 'spc_t' }; },
  'pss.procMount': (o) => { sc(o).procMount = 'Unmasked'; },
  'pss.seccompProfile_baseline': (o) => { sc(o).seccompProfile = { type: 'Unconfined' }; },
  'pss.sysctls': (o) => { pod(o).securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]; },
  'pss.windowsHostProcess': (o) => { sc(o).windowsOptions = { hostProcess: true }; },
  'pss.restrictedVolumes': (o) => { pod(o).volumes.push({ name: 'nfs', nfs: { server: 'x', path: '/' } }); },
  'pss.allowPrivilegeEscalation': (o) => { delete sc(o).allowPrivilegeEscalation; },
  'pss.runAsNonRoot': (o) => { sc(o).runAsNonRoot = false; },
  'pss.runAsUser': (o) => { sc(o).runAsUser = 0; },
  'pss.seccompProfile_restricted': (o) => { delete sc(o).seccompProfile; delete pod(o).securityContext.seccompProfile; },
  'pss.capabilities_restricted': (o) => { sc(o).capabilities = { drop: ['NET_RAW'] }; },
  'api.object-meta': (o) => { find(o, 'Service').metadata.labels.tier = '-backend'; },
  'api.pod-spec': (o) => { c0(o).ports[0].name = 'a-port-name-that-is-too-long'; },
  'api.pod-fields': (o) => { pod(o).tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]; },
  'api.kinds': (o) => { o.push({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'todo' }, spec: { schedule: 'every night', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x:1' }] } } } } } }); },
  'api.crd': (o) => {
    o.push({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'array', items: { type: 'string' } } } }] },
    });
  },
  'api.deployment': (o) => { find(o, 'Deployment').spec.replicas = -1; },
  'api.service': (o) => { find(o, 'Service').spec.ports[0].port = 70000; },
  'api.hpa': (o) => {
    o.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { ...find(o, 'Deployment').metadata }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'todo-backend' }, minReplicas: 3, maxReplicas: 2 } });
  },
  'api.pdb': (o) => { find(o, 'PodDisruptionBudget').spec.minAvailable = 1; },
  'api.network-policy': (o) => { find(o, 'NetworkPolicy', 'todo-backend').spec.policyTypes = ['Sideways']; },
  'api.ingress': (o) => {
    o.push({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { ...find(o, 'Service').metadata }, spec: { rules: [{ host: 'Bad_Host', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'todo-backend', port: { number: 8000 } } } }] } }] } });
  },
  'api.secret-type': (o) => { o.push({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { ...find(o, 'ConfigMap', 'todo-backend-config').metadata, name: 'tls' }, data: {} }); },
  'api.config-data-keys': (o) => { find(o, 'ConfigMap', 'todo-backend-config').data['..hidden'] = 'x'; },
  'api.config-data-size': (o) => { find(o, 'ConfigMap', 'todo-backend-config').data.BIG = 'x'.repeat(1024 * 1024); },
  'apply.client-side-size': (o) => { find(o, 'ConfigMap', 'todo-backend-config').data.LARGE = 'x'.repeat(300 * 1024); },
  'bp.resources': (o) => { delete c0(o).resources.limits.memory; },
  'bp.ephemeral-storage': (o) => { delete c0(o).resources.requests['ephemeral-storage']; },
  'bp.probes': (o) => { delete c0(o).livenessProbe; },
  'bp.distinct-probes': (o) => { c0(o).livenessProbe = structuredClone(c0(o).readinessProbe); },
  'bp.probe-timing': (o) => { c0(o).readinessProbe.periodSeconds = 30; },
  'bp.image-pinned': (o) => { c0(o).image = 'todo-backend:latest'; },
  'bp.read-only-root-filesystem': (o) => { sc(o).readOnlyRootFilesystem = false; },
  'bp.automount-token': (o) => { pod(o).automountServiceAccountToken = true; },
  'bp.service-account-token': (o) => { find(o, 'ServiceAccount').automountServiceAccountToken = true; },
  'bp.own-service-account': (o) => { pod(o).serviceAccountName = 'default'; },
  'bp.emptydir-size-limit': (o) => { delete pod(o).volumes[0].emptyDir.sizeLimit; },
  'bp.rollout-strategy': (o) => { find(o, 'Deployment').spec.strategy.rollingUpdate.maxUnavailable = 2; },
  'bp.stable-selector': (o) => {
    const d = find(o, 'Deployment');
    d.spec.selector.matchLabels.version = '1.0.0';
  },
  'bp.config-checksum': (o) => { delete find(o, 'Deployment').spec.template.metadata.annotations['checksum/config']; },
  'xref.service-selects-pods': (o) => { find(o, 'Service').spec.selector['app.kubernetes.io/name'] = 'nothing'; },
  'xref.selector-matches-template': (o) => { find(o, 'Deployment').spec.template.metadata.labels['app.kubernetes.io/name'] = 'other'; },
  'xref.hpa-target': (o) => {
    o.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { ...find(o, 'Deployment').metadata }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'todo-backend' }, minReplicas: 2, maxReplicas: 4 } });
  },
  'xref.pdb-selects-pods': (o) => { find(o, 'PodDisruptionBudget').spec.selector.matchLabels['app.kubernetes.io/name'] = 'nothing'; },
  'xref.pdb-allows-eviction': (o) => { find(o, 'PodDisruptionBudget').spec.maxUnavailable = 0; },
  'xref.netpol-covers-pods': (o) => { o.splice(0, o.length, ...o.filter((x) => x.kind !== 'NetworkPolicy')); },
  'xref.netpol-selects-pods': (o) => { find(o, 'NetworkPolicy', 'todo-mcp').spec.podSelector.matchLabels['app.kubernetes.io/name'] = 'nothing'; },
  'xref.service-account-exists': (o) => { o.splice(o.indexOf(find(o, 'ServiceAccount')), 1); },
  'xref.netpol-covers-egress': (o) => { for (const p of o.filter((x) => x.kind === 'NetworkPolicy')) { p.spec.policyTypes = ['Ingress']; delete p.spec.egress; } },
  'secrets.value-looks-secret': (o) => { find(o, 'ConfigMap', 'todo-backend-config').data.FEATURE_URL = 'postgres://app:hunter2@db:5432/app'; },
  'secrets.no-data': (o) => { o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { ...find(o, 'ConfigMap', 'todo-backend-config').metadata, name: 's' }, stringData: { DATABASE_URL: 'postgres://u:p@h/db' } }); },
  'secrets.no-literal': (o) => { c0(o).env[0] = { name: 'OPENAI_API_KEY', value: 'sk-live-1234' }; },
  'labels.recommended': (o) => { delete find(o, 'Service').metadata.labels['app.kubernetes.io/part-of']; },
  'labels.query': (o) => { delete find(o, 'Service').metadata.labels.tier; },
  'labels.description': (o) => { delete find(o, 'Deployment').metadata.annotations.description; },
};

const ids = (objects: Obj[]) => [...new Set(validateObjects(objects.map((object) => ({ object }))).findings.map((f) => f.ruleId))];

describe('policy rules: one failing and one passing object each', () => {
  test('every rule has a breaker in this table', () => {
    expect(Object.keys(breakers).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
  });

  test('the valid stack passes every rule', () => {
    expect(ids(base())).toEqual([]);
  });

  test.each(Object.keys(breakers))('%s fails when broken', (id) => {
    const objects = base();
    breakers[id](objects);
    expect(ids(objects)).toContain(id);
  });

  test('a finding names the file, kind, object, field, rule and fix', () => {
    const objects = base();
    breakers['pss.runAsUser'](objects);
    const report = validateObjects(objects.map((object) => ({ object, file: 'dist/local/x.yaml' })));
    expect(report.findings.map((f) => f.line)).toContain(
      'dist/local/x.yaml - Deployment todo/todo-backend is invalid: pss.runAsUser spec.template.spec.containers[0].securityContext.runAsUser: must not be 0 (root)');
  });
});

describe('exemptions', () => {
  const exempt = (objects: Obj[], value: string) => { find(objects, 'Deployment').metadata.annotations[EXEMPT_ANNOTATION] = value; };

  test('a best-practice rule can be exempted with a reason, and the exemption is reported', () => {
    const objects = base();
    breakers['bp.read-only-root-filesystem'](objects);
    exempt(objects, 'bp.read-only-root-filesystem: legacy image writes to /var/run');
    const report = validateObjects(objects.map((object) => ({ object })));
    expect(report.findings).toEqual([]);
    expect(report.exemptions).toEqual([expect.objectContaining({ ruleId: 'bp.read-only-root-filesystem', reason: 'legacy image writes to /var/run' })]);
  });

  test('a PSS rule cannot be exempted', () => {
    const objects = base();
    breakers['pss.privileged'](objects);
    exempt(objects, 'pss.privileged: we really need it');
    expect(ids(objects)).toEqual(expect.arrayContaining(['pss.privileged', 'policy.exemption']));
  });

  test('an exemption needs a reason and a known rule', () => {
    const objects = base();
    exempt(objects, 'bp.probes; bp.nonexistent: why');
    const lines = validateObjects(objects.map((object) => ({ object }))).findings.map((f) => f.message);
    expect(lines).toEqual(expect.arrayContaining(['exemption from bp.probes needs a reason ("bp.probes: why")', 'names unknown rule bp.nonexistent']));
  });
});

describe('strict schema', () => {
  test('an unknown field is an error, with its path', () => {
    const objects = base();
    c0(objects).imagePullPolicyy = 'Always';
    const report = validateObjects(objects.map((object) => ({ object })), { schemaOnly: true });
    expect(report.findings.map((f) => `${f.ruleId} ${f.path}: ${f.message}`)).toEqual(['schema /spec/template/spec/containers/0/imagePullPolicyy: unknown field (not in the schema; strict mode)']);
  });

  test('unknown fields are still found once the shapes of a kind are learned', () => {
    validateObjects(base().map((object) => ({ object })), { schemaOnly: true });
    const objects = base();
    find(objects, 'Deployment').spec.template.spec.securityContext.runAsUserr = 1;
    find(objects, 'Service').spec.ports[0].nodeport = 30080;
    const report = validateObjects(objects.map((object) => ({ object })), { schemaOnly: true });
    expect(report.findings.map((f) => f.path).sort()).toEqual(['/spec/ports/0/nodeport', '/spec/template/spec/securityContext/runAsUserr']);
  });

  test('a field first seen after the shapes are learned is still checked inside', () => {
    validateObjects(base().map((object) => ({ object })), { schemaOnly: true });
    const objects = base();
    sc(objects).seLinuxOptions = { type: 'container_t', levle: 's0' };
    // exec is a handler of every supported version (sleep came in 1.29: the default target, 1.28, refuses it).
    c0(objects).lifecycle = { preStop: { exec: { command: ['true'] }, exex: {} } };
    const report = validateObjects(objects.map((object) => ({ object })), { schemaOnly: true });
    expect(report.findings.map((f) => f.path).sort()).toEqual([
      '/spec/template/spec/containers/0/lifecycle/preStop/exex',
      '/spec/template/spec/containers/0/securityContext/seLinuxOptions/levle',
    ]);
  });

  test('free-form maps (labels, annotations, ConfigMap data) accept any key', () => {
    const objects = base();
    find(objects, 'Deployment').metadata.labels['anything.example.com/x'] = 'y';
    find(objects, 'ConfigMap', 'todo-backend-config').data.ANY_KEY = 'v';
    expect(validateObjects(objects.map((object) => ({ object })), { schemaOnly: true }).findings).toEqual([]);
  });

  test('a wrong type is an error', () => {
    const objects = base();
    find(objects, 'Deployment').spec.replicas = '2';
    expect(validateObjects(objects.map((object) => ({ object })), { schemaOnly: true }).findings.map((f) => f.message)).toEqual(['expected integer']);
  });
});

describe('probes are for what keeps running', () => {
  /** The backend's pod template, without probes, as a Job's or a CronJob's. */
  const withoutProbes = (kind: 'Job' | 'CronJob' | 'Deployment') => {
    const objects = base();
    const deployment = find(objects, 'Deployment');
    const template = structuredClone(deployment.spec.template);
    delete template.spec.containers[0].livenessProbe;
    delete template.spec.containers[0].readinessProbe;
    template.spec.restartPolicy = 'OnFailure';
    const job = { template: { ...template, metadata: { ...template.metadata } } };
    const object = kind === 'Deployment'
      ? { ...deployment, spec: { ...deployment.spec, template: { ...template, spec: { ...template.spec, restartPolicy: 'Always' } } } }
      : { ...deployment, apiVersion: 'batch/v1', kind, spec: kind === 'Job' ? job : { schedule: '0 3 * * *', jobTemplate: { spec: job } } };
    return validateObjects([{ object }], { rulePrefixes: ['bp.probes'] }).findings.map((f) => f.line);
  };

  test.each(['Job', 'CronJob'] as const)('a %s without probes breaks no probe rule', (kind) => {
    expect(withoutProbes(kind)).toEqual([]);
  });

  test('a Deployment without probes does', () => {
    expect(withoutProbes('Deployment').length).toBe(2);
  });
});

describe('rules the API server relaxed follow --kubernetes-version', () => {
  const at = (minor: number, objects: Obj[]) => [...new Set(validateObjects(objects.map((object) => ({ object })), { kubernetesVersion: { major: 1, minor } }).findings.filter((f) => f.ruleId.startsWith('api.')).map((f) => `${f.ruleId} ${f.path}`))];

  test('an env name starting with a digit is refused up to 1.31 and allowed from 1.32 (RelaxedEnvironmentVariableValidation)', () => {
    const objects = base();
    c0(objects).env = [...(c0(objects).env ?? []), { name: '1ST', value: 'x' }];
    expect(at(31, objects)).toEqual([expect.stringMatching(/^api.pod-spec .*env\[\d+\]\.name$/)]);
    expect(at(32, objects)).toEqual([]);
  });

  test('a Service name starting with a digit is refused up to 1.35 and allowed from 1.36 (RelaxedServiceNameValidation)', () => {
    const objects = base();
    find(objects, 'Service').metadata.name = '1svc';
    expect(at(35, objects)).toEqual(['api.object-meta metadata.name']);
    expect(at(36, objects)).toEqual([]);
  });
});
