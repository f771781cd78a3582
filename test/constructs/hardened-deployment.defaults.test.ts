import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { ChecksummedConfigMap, HardenedDeployment } from '../../constructs';
import { container, labelsFor, one, podSpec, synth, workloadProps } from '../support';

function deploy(props = workloadProps()) {
  const chart = Testing.chart();
  const workload = new HardenedDeployment(chart, 'Web', props);
  return { chart, workload, objects: () => synth(chart) };
}

describe('HardenedDeployment defaults (SPEC S3)', () => {
  test('synthesizes a ServiceAccount and a Deployment (snapshot)', () => {
    const objects = deploy().objects();
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment']);
    expect(objects).toMatchSnapshot();
  });

  test('pod runs as non-root UID and GID 1000 with seccomp RuntimeDefault', () => {
    const spec = podSpec(one(deploy().objects(), 'Deployment'));
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('container forbids privilege escalation, drops ALL capabilities and is not privileged', () => {
    const sc = container(one(deploy().objects(), 'Deployment')).securityContext;
    expect(sc.allowPrivilegeEscalation).toBe(false);
    expect(sc.capabilities).toEqual({ drop: ['ALL'] });
    expect(sc.privileged).toBe(false);
    expect(sc.runAsNonRoot).toBe(true);
    expect(sc.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  test('no host namespaces, hostPath or hostPort', () => {
    const spec = podSpec(one(deploy().objects(), 'Deployment'));
    expect(spec.hostNetwork ?? false).toBe(false);
    expect(spec.hostPID ?? false).toBe(false);
    expect(spec.hostIPC ?? false).toBe(false);
    expect(spec.volumes.every((v: any) => !v.hostPath)).toBe(true);
    expect(container({ spec: { template: { spec } } }).ports.every((p: any) => p.hostPort === undefined)).toBe(true);
  });

  test('root filesystem is read-only and /tmp is a sized emptyDir', () => {
    const d = one(deploy().objects(), 'Deployment');
    expect(container(d).securityContext.readOnlyRootFilesystem).toBe(true);
    expect(podSpec(d).volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(container(d).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  test('every writable path gets its own emptyDir', () => {
    const d = one(deploy(workloadProps('web', { writablePaths: ['/tmp', '/app/.next/cache'], emptyDirSizeLimit: '32Mi' })).objects(), 'Deployment');
    expect(podSpec(d).volumes.map((v: any) => [v.name, v.emptyDir.sizeLimit])).toEqual([['tmp', '32Mi'], ['app-next-cache', '32Mi']]);
  });

  test('service-account token is not mounted, on the ServiceAccount and on the pod', () => {
    const objects = deploy().objects();
    expect(one(objects, 'ServiceAccount', 'web').automountServiceAccountToken).toBe(false);
    const spec = podSpec(one(objects, 'Deployment'));
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBe('web');
  });

  test('requests and limits for CPU, memory and ephemeral storage', () => {
    expect(container(one(deploy().objects(), 'Deployment')).resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { cpu: '200m', memory: '256Mi', 'ephemeral-storage': '256Mi' },
    });
  });

  test('readiness every 10 s after at most 20 s, liveness every 10 s, 3 failures each', () => {
    const c = container(one(deploy().objects(), 'Deployment'));
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, failureThreshold: 3 });
    expect(c.readinessProbe.initialDelaySeconds).toBeLessThanOrEqual(20);
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, failureThreshold: 3 });
    expect(c.startupProbe).toBeUndefined();
  });

  test('startup probe, when asked for, allows 60 s at 5 s', () => {
    const c = container(one(deploy(workloadProps('web', { startupProbe: {} })).objects(), 'Deployment'));
    expect(c.startupProbe).toMatchObject({ periodSeconds: 5, failureThreshold: 12 });
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBe(60);
  });

  test('one replica rolls with maxUnavailable 0 and maxSurge 1', () => {
    const d = one(deploy().objects(), 'Deployment');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });

  test('several replicas roll with maxUnavailable 1 and maxSurge 1', () => {
    const d = one(deploy(workloadProps('web', { replicas: 3 })).objects(), 'Deployment');
    expect(d.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 1 });
  });

  test('image pull policy defaults to IfNotPresent and can be set', () => {
    expect(container(one(deploy().objects(), 'Deployment')).imagePullPolicy).toBe('IfNotPresent');
    expect(container(one(deploy(workloadProps('web', { imagePullPolicy: 'Always' })).objects(), 'Deployment')).imagePullPolicy).toBe('Always');
  });

  test('selector is the given stable labels only: no version, no construct path', () => {
    const d = one(deploy().objects(), 'Deployment');
    expect(d.spec.selector).toEqual({ matchLabels: labelsFor('web').selectorLabels });
    const text = JSON.stringify(d);
    expect(text).not.toContain('cdk8s.io/metadata.addr');
    expect(Object.keys(d.spec.selector.matchLabels)).not.toContain('app.kubernetes.io/version');
  });

  test('renaming the construct id changes no selector', () => {
    const a = Testing.chart();
    new HardenedDeployment(a, 'Web', workloadProps());
    const b = Testing.chart();
    new HardenedDeployment(b, 'RenamedAndMoved', workloadProps());
    expect(one(synth(b), 'Deployment').spec.selector).toEqual(one(synth(a), 'Deployment').spec.selector);
    expect(one(synth(b), 'Deployment').spec.template.metadata.labels).toEqual(one(synth(a), 'Deployment').spec.template.metadata.labels);
  });

  test('labels (S4) on every object and on the pods, and a description annotation', () => {
    const objects = deploy().objects();
    const { labels } = labelsFor('web');
    for (const o of objects) expect(o.metadata.labels).toEqual(labels);
    const d = one(objects, 'Deployment');
    expect(d.spec.template.metadata.labels).toEqual(labels);
    expect(d.metadata.annotations.description).toBe('web test workload');
    expect(d.spec.template.metadata.annotations.description).toBe('web test workload');
  });

  test('secrets are read with secretKeyRef, never as values', () => {
    const { chart, workload } = deploy();
    workload.addSecretEnv('DATABASE_URL', 'app-secrets');
    workload.addSecretEnv('API_TOKEN', 'app-secrets', 'token');
    expect(container(one(synth(chart), 'Deployment')).env).toEqual([
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'app-secrets', key: 'DATABASE_URL' } } },
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'app-secrets', key: 'token' } } },
    ]);
  });

  test('ConfigMap keys can be read one by one', () => {
    const { chart, workload } = deploy();
    workload.addConfigMapEnv('LOG_LEVEL', 'settings', 'level');
    expect(container(one(synth(chart), 'Deployment')).env).toEqual([{ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level' } } }]);
  });

  test('an attached ConfigMap is loaded with envFrom and its checksum rolls the pods', () => {
    const checksumFor = (level: string) => {
      const { chart, workload } = deploy();
      workload.attachConfigMap(new ChecksummedConfigMap(chart, 'Config', { name: 'web-config', labels: {}, data: { LOG_LEVEL: level } }));
      const d = one(synth(chart), 'Deployment');
      expect(container(d).envFrom).toEqual([{ configMapRef: { name: 'web-config' } }]);
      return d.spec.template.metadata.annotations['checksum/config'];
    };
    expect(checksumFor('info')).toMatch(/^[a-f0-9]{64}$/);
    expect(checksumFor('info')).toBe(checksumFor('info'));
    expect(checksumFor('debug')).not.toBe(checksumFor('info'));
  });

  test('the Deployment is the default child, so ApiObject.of() patches it', () => {
    const { chart, workload } = deploy();
    ApiObject.of(workload).addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 5));
    expect(one(synth(chart), 'Deployment').spec.minReadySeconds).toBe(5);
  });

  test('opting out of the read-only root filesystem takes the named prop', () => {
    const d = one(deploy(workloadProps('web', { allowWritableRootFilesystem: true })).objects(), 'Deployment');
    expect(container(d).securityContext.readOnlyRootFilesystem).toBe(false);
  });
});
