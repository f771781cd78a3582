import type { Obj } from './mutations';

/**
 * Valid objects of the kinds charts commonly render besides this project's own (issue 23: every
 * workload kind, Pod, Ingress and IngressClass, PersistentVolumeClaim, RBAC, PriorityClass,
 * Namespace), and
 * single-field mutations of each, for the differential test against the real API server. Each
 * base object is accepted by the server as it is (its `*-ok` cases too).
 */

const labels = { 'app.kubernetes.io/name': 'other', 'app.kubernetes.io/instance': 'todo' };
const container = () => ({
  name: 'app',
  image: 'registry.example.com/app:1.0.0',
  resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
});
// Each object gets copies of the labels: a selector that shared the template's object would change with it.
const podTemplate = (restartPolicy?: string) => ({
  metadata: { labels: { ...labels } },
  spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [container()] },
});
const meta = (name: string) => ({ name, labels: { ...labels } });

export function otherKindObjects(): Obj[] {
  return [
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('other-db'), spec: { serviceName: 'other-db', replicas: 1, selector: { matchLabels: { ...labels } }, template: podTemplate() } },
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('other-agent'), spec: { selector: { matchLabels: { ...labels } }, template: podTemplate() } },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('other-job'), spec: { backoffLimit: 1, template: podTemplate('Never') } },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('other-cron'), spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: podTemplate('OnFailure') } } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: meta('other-pod'), spec: { containers: [container()] } },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('other-web'),
      spec: { rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'other-web', port: { number: 80 } } } }] } }] },
    },
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: meta('other-class'), spec: { controller: 'example.com/ingress-controller' } },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('other-data'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('other-reader'), rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('other-reader'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'other-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'other' }],
    },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('other-secret'), type: 'Opaque', data: { PASSWORD: 'aGVsbG8=' } },
    { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: meta('other-high'), value: 1000, description: 'Workloads that must run first.' },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('other-rs'), spec: { replicas: 1, selector: { matchLabels: { ...labels } }, template: podTemplate() } },
    { apiVersion: 'v1', kind: 'ReplicationController', metadata: meta('other-rc'), spec: { replicas: 1, selector: { ...labels }, template: podTemplate() } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta('other-ns'), spec: { finalizers: ['kubernetes'] } },
    {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: meta('widgets.example.com'),
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    },
  ];
}

const pod = (o: Obj) => o.spec.template.spec;

/** Mutations of the other kinds' objects, by kind: `[what, mutate]`. */
export function otherKindMutations(o: Obj): Array<[string, (x: Obj) => void]> {
  switch (o.kind) {
    case 'StatefulSet':
      return [
        ['replicas-negative', (x) => { x.spec.replicas = -1; }],
        ['selector-mismatch', (x) => { x.spec.selector.matchLabels['app.kubernetes.io/name'] = 'nope'; }],
        ['pod-management-bad', (x) => { x.spec.podManagementPolicy = 'Random'; }],
        ['update-strategy-bad', (x) => { x.spec.updateStrategy = { type: 'Rolling' }; }],
        ['partition-negative', (x) => { x.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1 } }; }],
        ['on-delete-with-rolling', (x) => { x.spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 1 } }; }],
        ['claim-name-bad', (x) => { x.spec.volumeClaimTemplates = [{ metadata: { name: 'Data_1' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }]; }],
        ['restart-never', (x) => { pod(x).restartPolicy = 'Never'; }],
        ['min-ready-negative', (x) => { x.spec.minReadySeconds = -1; }],
        ['ok', (x) => { x.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }; x.spec.podManagementPolicy = 'Parallel'; }],
      ];
    case 'DaemonSet':
      return [
        ['selector-mismatch', (x) => { x.spec.selector.matchLabels['app.kubernetes.io/name'] = 'nope'; }],
        ['update-strategy-bad', (x) => { x.spec.updateStrategy = { type: 'Rolling' }; }],
        ['both-zero', (x) => { x.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }; }],
        ['min-ready-negative', (x) => { x.spec.minReadySeconds = -1; }],
        ['restart-on-failure', (x) => { pod(x).restartPolicy = 'OnFailure'; }],
        ['history-negative', (x) => { x.spec.revisionHistoryLimit = -1; }],
        ['ok', (x) => { x.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } }; }],
      ];
    case 'Job':
      return [
        ['parallelism-negative', (x) => { x.spec.parallelism = -1; }],
        ['completions-negative', (x) => { x.spec.completions = -1; }],
        ['backoff-negative', (x) => { x.spec.backoffLimit = -1; }],
        ['deadline-zero', (x) => { x.spec.activeDeadlineSeconds = 0; }],
        ['restart-always', (x) => { pod(x).restartPolicy = 'Always'; }],
        ['completion-mode-bad', (x) => { x.spec.completionMode = 'Ordered'; }],
        ['ttl-negative', (x) => { x.spec.ttlSecondsAfterFinished = -1; }],
        ['indexed-without-completions', (x) => { x.spec.completionMode = 'Indexed'; }],
        ['ok', (x) => { x.spec.completionMode = 'Indexed'; x.spec.completions = 3; x.spec.parallelism = 2; x.spec.ttlSecondsAfterFinished = 60; }],
      ];
    case 'CronJob':
      return [
        ['schedule-bad', (x) => { x.spec.schedule = 'every night'; }],
        ['schedule-six-fields', (x) => { x.spec.schedule = '0 0 3 * * *'; }],
        ['schedule-out-of-range', (x) => { x.spec.schedule = '0 25 * * *'; }],
        ['schedule-tz-prefix', (x) => { x.spec.schedule = 'TZ=Europe/Paris 0 3 * * *'; }],
        ['concurrency-bad', (x) => { x.spec.concurrencyPolicy = 'Never'; }],
        ['starting-deadline-negative', (x) => { x.spec.startingDeadlineSeconds = -1; }],
        ['history-negative', (x) => { x.spec.successfulJobsHistoryLimit = -1; }],
        ['time-zone-bad', (x) => { x.spec.timeZone = 'Mars/Olympus'; }],
        ['restart-always', (x) => { x.spec.jobTemplate.spec.template.spec.restartPolicy = 'Always'; }],
        ['ok-descriptor', (x) => { x.spec.schedule = '@daily'; x.spec.timeZone = 'Europe/Paris'; }],
        ['ok-names', (x) => { x.spec.schedule = '*/15 1-5 * JAN-MAR MON-FRI'; }],
      ];
    case 'Pod':
      return [
        ['restart-bad', (x) => { x.spec.restartPolicy = 'Sometimes'; }],
        ['image-missing', (x) => { delete x.spec.containers[0].image; }],
        ['grace-negative', (x) => { x.spec.terminationGracePeriodSeconds = -1; }],
        ['ok', (x) => { x.spec.restartPolicy = 'Never'; x.spec.activeDeadlineSeconds = 60; }],
      ];
    case 'Ingress':
      return [
        ['path-relative', (x) => { x.spec.rules[0].http.paths[0].path = 'api'; }],
        ['path-type-missing', (x) => { delete x.spec.rules[0].http.paths[0].pathType; }],
        ['host-ip', (x) => { x.spec.rules[0].host = '10.0.0.1'; }],
        ['tls-host-bad', (x) => { x.spec.tls = [{ hosts: ['Bad_Host'], secretName: 'tls' }]; }],
        ['backend-port-both', (x) => { x.spec.rules[0].http.paths[0].backend.service.port = { number: 80, name: 'http' }; }],
        ['ok', (x) => { x.spec.tls = [{ hosts: ['web.example.com'], secretName: 'web-tls' }]; x.spec.ingressClassName = 'nginx'; }],
      ];
    case 'IngressClass':
      return [
        ['controller-missing', (x) => { delete x.spec.controller; }],
        ['controller-not-domain', (x) => { x.spec.controller = 'Example Controller'; }],
        ['parameters-kind-missing', (x) => { x.spec.parameters = { name: 'p' }; }],
        ['ok', (x) => { x.spec.parameters = { apiGroup: 'example.com', kind: 'Params', name: 'p', scope: 'Cluster' }; }],
      ];
    case 'PersistentVolumeClaim':
      return [
        ['access-modes-empty', (x) => { x.spec.accessModes = []; }],
        ['access-mode-bad', (x) => { x.spec.accessModes = ['ReadWriteSometimes']; }],
        ['storage-missing', (x) => { x.spec.resources = { requests: {} }; }],
        ['storage-zero', (x) => { x.spec.resources.requests.storage = '0'; }],
        ['volume-mode-bad', (x) => { x.spec.volumeMode = 'Disk'; }],
        ['ok', (x) => { x.spec.volumeMode = 'Filesystem'; x.spec.storageClassName = 'standard'; }],
      ];
    case 'Role':
      return [
        ['verbs-empty', (x) => { x.rules[0].verbs = []; }],
        ['resources-missing', (x) => { delete x.rules[0].resources; }],
        ['api-groups-missing', (x) => { delete x.rules[0].apiGroups; }],
        ['non-resource-urls', (x) => { x.rules.push({ nonResourceURLs: ['/healthz'], verbs: ['get'] }); }],
        ['ok', (x) => { x.rules.push({ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['get'] }); }],
      ];
    case 'RoleBinding':
      return [
        ['role-ref-kind-bad', (x) => { x.roleRef.kind = 'Group'; }],
        ['role-ref-group-bad', (x) => { x.roleRef.apiGroup = 'example.com'; }],
        ['role-ref-name-missing', (x) => { x.roleRef.name = ''; }],
        ['subject-kind-bad', (x) => { x.subjects[0].kind = 'Robot'; }],
        ['subject-name-missing', (x) => { x.subjects[0].name = ''; }],
        ['subject-user-api-group-bad', (x) => { x.subjects = [{ kind: 'User', name: 'alice', apiGroup: '' }]; }],
        ['ok', (x) => { x.subjects.push({ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }); }],
      ];
    case 'Secret':
      return [
        ['key-bad', (x) => { x.data['bad key'] = 'aGVsbG8='; }],
        ['string-data-key-bad', (x) => { x.stringData = { 'bad key': 'v' }; }],
        ['tls-without-keys', (x) => { x.type = 'kubernetes.io/tls'; }],
        ['basic-auth-without-keys', (x) => { x.type = 'kubernetes.io/basic-auth'; }],
        ['docker-config-without-key', (x) => { x.type = 'kubernetes.io/dockerconfigjson'; }],
        ['service-account-token-without-annotation', (x) => { x.type = 'kubernetes.io/service-account-token'; }],
        ['type-custom-ok', (x) => { x.type = 'example.com/custom'; }],
        ['immutable-ok', (x) => { x.immutable = true; }],
      ];
    case 'PriorityClass':
      return [
        ['value-too-high', (x) => { x.value = 2_000_000_000; }],
        ['name-system-prefix', (x) => { x.metadata.name = 'system-other'; }],
        ['preemption-bad', (x) => { x.preemptionPolicy = 'Sometimes'; }],
        ['ok', (x) => { x.preemptionPolicy = 'Never'; x.value = 1_000_000_000; }],
      ];
    case 'ReplicaSet':
      return [
        ['replicas-negative', (x) => { x.spec.replicas = -1; }],
        ['min-ready-negative', (x) => { x.spec.minReadySeconds = -5; }],
        ['selector-mismatch', (x) => { x.spec.selector.matchLabels['app.kubernetes.io/name'] = 'nope'; }],
        ['selector-empty', (x) => { x.spec.selector = {}; }],
        ['container-name-bad', (x) => { pod(x).containers[0].name = 'Bad_Name'; }],
        ['restart-never', (x) => { pod(x).restartPolicy = 'Never'; }],
        ['finalizer-unqualified', (x) => { x.metadata.finalizers = ['cleanup']; }],
        ['finalizer-bad-syntax', (x) => { x.metadata.finalizers = ['example.com/bad name']; }],
        ['finalizers-orphan-and-foreground', (x) => { x.metadata.finalizers = ['orphan', 'foregroundDeletion']; }],
        ['ok', (x) => { x.spec.replicas = 0; x.metadata.finalizers = ['example.com/cleanup', 'orphan']; }],
      ];
    case 'ReplicationController':
      return [
        ['replicas-negative', (x) => { x.spec.replicas = -2; }],
        ['min-ready-negative', (x) => { x.spec.minReadySeconds = -1; }],
        ['selector-mismatch', (x) => { x.spec.selector = { 'app.kubernetes.io/name': 'nope' }; }],
        ['selector-and-labels-missing', (x) => { delete x.spec.selector; delete x.spec.template.metadata.labels; }],
        ['selector-defaulted-ok', (x) => { delete x.spec.selector; }],
      ];
    case 'Namespace':
      return [
        ['name-dot', (x) => { x.metadata.name = 'other.ns'; }],
        ['spec-finalizer-unqualified', (x) => { x.spec.finalizers = ['cleanup']; }],
        ['spec-finalizer-bad-syntax', (x) => { x.spec.finalizers = ['-bad/x']; }],
        ['metadata-finalizer-unqualified', (x) => { x.metadata.finalizers = ['cleanup']; }],
        ['label-value-bad', (x) => { x.metadata.labels['pod-security.kubernetes.io/enforce'] = 'not a value!'; }],
        ['ok', (x) => { x.spec.finalizers = ['example.com/cleanup']; x.metadata.finalizers = ['kubernetes', 'foregroundDeletion']; }],
      ];
    case 'CustomResourceDefinition': {
      const schema = (x: Obj) => x.spec.versions[0].schema.openAPIV3Schema;
      const group = (x: Obj, g: string) => { x.spec.group = g; x.metadata.name = `${x.spec.names.plural}.${g}`; };
      const plural = (x: Obj, p: string) => { x.spec.names.plural = p; x.metadata.name = `${p}.${x.spec.group}`; };
      const v2 = (x: Obj, extra: Obj) => { x.spec.versions.push({ ...structuredClone(x.spec.versions[0]), name: 'v2', storage: false, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } }, ...extra }); };
      return [
        ['name-mismatch', (x) => { x.metadata.name = 'gadgets.example.com'; }],
        ['group-no-dot', (x) => { group(x, 'example'); }],
        ['group-uppercase', (x) => { group(x, 'Example.com'); }],
        ['scope-bad', (x) => { x.spec.scope = 'Global'; }],
        ['plural-uppercase', (x) => { plural(x, 'Widgets'); }],
        ['singular-digit-first', (x) => { x.spec.names.singular = '1widget'; }],
        ['kind-space', (x) => { x.spec.names.kind = 'Wid get'; }],
        ['kind-equals-list-kind', (x) => { x.spec.names.listKind = 'Widget'; }],
        ['short-name-bad', (x) => { x.spec.names.shortNames = ['W_1']; }],
        ['category-bad', (x) => { x.spec.names.categories = ['All Things']; }],
        ['version-name-bad', (x) => { x.spec.versions[0].name = 'V1'; }],
        ['versions-two-storage', (x) => { v2(x, { storage: true }); }],
        ['versions-no-storage', (x) => { x.spec.versions[0].storage = false; }],
        ['versions-duplicate', (x) => { v2(x, { name: 'v1' }); }],
        // v1 moves identical per-version schemas to the top level, so the internal rule against them never fires.
        ['versions-identical-schemas-ok', (x) => { v2(x, { schema: structuredClone(x.spec.versions[0].schema) }); }],
        ['schema-missing', (x) => { delete x.spec.versions[0].schema; }],
        ['schema-root-array', (x) => { x.spec.versions[0].schema.openAPIV3Schema = { type: 'array', items: { type: 'string' } }; }],
        ['schema-root-untyped', (x) => { delete schema(x).type; }],
        ['schema-field-untyped', (x) => { delete schema(x).properties.spec.properties.size.type; }],
        ['schema-array-without-items', (x) => { schema(x).properties.spec.properties.tags = { type: 'array' }; }],
        ['schema-array-items-untyped', (x) => { schema(x).properties.spec.properties.tags = { type: 'array', items: { description: 'a tag' } }; }],
        ['schema-properties-and-additional', (x) => { schema(x).properties.spec.additionalProperties = { type: 'string' }; }],
        ['schema-root-additional', (x) => { schema(x).additionalProperties = { type: 'string' }; delete schema(x).properties; }],
        ['schema-unique-items', (x) => { schema(x).properties.spec.properties.tags = { type: 'array', uniqueItems: true, items: { type: 'string' } }; }],
        ['protected-group-unapproved', (x) => { group(x, 'widgets.k8s.io'); }],
        ['protected-group-bad-approval', (x) => { group(x, 'widgets.k8s.io'); x.metadata.annotations = { 'api-approved.kubernetes.io': 'yes' }; }],
        ['protected-group-url-ok', (x) => { group(x, 'widgets.k8s.io'); x.metadata.annotations = { 'api-approved.kubernetes.io': 'https://github.com/kubernetes/enhancements/pull/1111' }; }],
        ['protected-group-unapproved-reason-ok', (x) => { group(x, 'widgets.kubernetes.io'); x.metadata.annotations = { 'api-approved.kubernetes.io': 'unapproved, experimental' }; }],
        ['untyped-exceptions-ok', (x) => {
          schema(x).properties.spec.properties.port = { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
          schema(x).properties.spec.properties.raw = { 'x-kubernetes-preserve-unknown-fields': true };
          x.spec.names.shortNames = ['wd']; x.spec.names.categories = ['all'];
        }],
        ['ok', (x) => { x.spec.scope = 'Cluster'; v2(x, { served: true }); }],
      ];
    }
    default:
      return [];
  }
}
