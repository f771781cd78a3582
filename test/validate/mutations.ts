import { distObjects } from '../helm/support';
import { otherKindMutations, otherKindObjects } from './other-kinds';

/**
 * Single-field mutations of this project's own objects (dist/production), for the differential
 * test of the validator against the real API server (SPEC S7, S10): each case changes one field
 * of one object. Some make the object invalid, some leave it valid, so the test catches false
 * positives as well as misses. Deterministic: the same list every run.
 */

export type Obj = Record<string, any>;

export interface MutationCase {
  /** Stable id: `<family>/<kind>/<what>`. */
  readonly id: string;
  /** The name of the object mutated in dist/production (kind/name). */
  readonly target: string;
  /** The mutated object. */
  readonly object: Obj;
}

/** The objects of the committed dist/production/, in file order. */
export const productionObjects = (): Obj[] => distObjects('production');

const pod = (o: Obj) => o.spec.template.spec;
const c0 = (o: Obj) => pod(o).containers[0];

/** Mutations of one object, by kind. */
const NAMES = ['Bad_Name', '-lead', 'trail-', 'UPPER', 'a.b', 'x'.repeat(64), 'x'.repeat(254), 'ok-name', 'ok.dotted.name', '1starts-with-digit'];
const LABEL_KEYS = ['-bad', 'a/b/c', `${'k'.repeat(64)}`, 'UPPER/x', 'bad_prefix/x', '/empty-prefix', 'example.com/', 'example.com/ok', 'ok_key.with-dots', `${'p'.repeat(254)}/x`];
const LABEL_VALUES = ['-v', 'v-', 'x'.repeat(64), 'a b', 'a/b', '', 'ok.value_1', 'x'.repeat(63)];

function kindMutations(o: Obj): Array<[string, (x: Obj) => void]> {
  const out: Array<[string, (x: Obj) => void]> = [];
  NAMES.forEach((n, i) => out.push([`name-${i}`, (x) => { x.metadata.name = n; }]));
  LABEL_KEYS.forEach((k, i) => out.push([`label-key-${i}`, (x) => { x.metadata.labels[k] = 'v'; }]));
  LABEL_VALUES.forEach((v, i) => out.push([`label-value-${i}`, (x) => { x.metadata.labels.extra = v; }]));
  out.push(['annotation-key-bad', (x) => { x.metadata.annotations = { ...x.metadata.annotations, '-bad/key': 'v' }; }]);
  out.push(['annotation-too-big', (x) => { x.metadata.annotations = { ...x.metadata.annotations, big: 'x'.repeat(262_145) }; }]);
  switch (o.kind) {
    case 'Deployment':
      out.push(
        ['replicas-negative', (x) => { x.spec.replicas = -1; }],
        ['selector-empty', (x) => { x.spec.selector = { matchLabels: {} }; }],
        ['selector-mismatch', (x) => { x.spec.selector.matchLabels['app.kubernetes.io/name'] = 'other'; }],
        ['selector-operator', (x) => { x.spec.selector.matchExpressions = [{ key: 'a', operator: 'Like', values: ['b'] }]; }],
        ['selector-in-without-values', (x) => { x.spec.selector.matchExpressions = [{ key: 'a', operator: 'In' }]; }],
        ['strategy-both-zero', (x) => { x.spec.strategy.rollingUpdate = { maxUnavailable: 0, maxSurge: 0 }; }],
        ['strategy-type', (x) => { x.spec.strategy.type = 'Rolling'; }],
        ['strategy-percent-bad', (x) => { x.spec.strategy.rollingUpdate.maxSurge = '150%'; }],
        ['strategy-percent-ok', (x) => { x.spec.strategy.rollingUpdate.maxSurge = '25%'; }],
        ['progress-deadline', (x) => { x.spec.progressDeadlineSeconds = 5; x.spec.minReadySeconds = 10; }],
        ['container-name-bad', (x) => { c0(x).name = 'App_1'; }],
        ['container-duplicate', (x) => { pod(x).containers.push({ ...structuredClone(c0(x)) }); }],
        ['container-image-missing', (x) => { delete c0(x).image; }],
        ['port-zero', (x) => { c0(x).ports[0].containerPort = 0; }],
        ['port-too-big', (x) => { c0(x).ports[0].containerPort = 70000; }],
        ['port-name-long', (x) => { c0(x).ports[0].name = 'a-port-name-too-long'; }],
        ['port-name-upper', (x) => { c0(x).ports[0].name = 'HTTP'; }],
        ['port-name-double-hyphen', (x) => { c0(x).ports[0].name = 'a--b'; }],
        ['port-name-digits', (x) => { c0(x).ports[0].name = '8080'; }],
        ['port-name-ok', (x) => { c0(x).ports[0].name = 'web-2'; }],
        ['port-protocol', (x) => { c0(x).ports[0].protocol = 'HTTP'; }],
        ['port-duplicate', (x) => { c0(x).ports.push({ ...c0(x).ports[0], name: 'other' }); }],
        ['port-duplicate-name', (x) => { c0(x).ports.push({ ...c0(x).ports[0], containerPort: 9999 }); }],
        ['env-name-digit', (x) => { c0(x).env = [...(c0(x).env ?? []), { name: '1BAD', value: 'x' }]; }],
        ['env-name-ok', (x) => { c0(x).env = [...(c0(x).env ?? []), { name: 'GOOD_NAME.x-y', value: 'x' }]; }],
        ['env-value-and-from', (x) => { c0(x).env = [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]; }],
        ['mount-unknown-volume', (x) => { c0(x).volumeMounts.push({ name: 'nothing', mountPath: '/nothing' }); }],
        ['mount-duplicate-path', (x) => { c0(x).volumeMounts.push({ ...c0(x).volumeMounts[0] }); }],
        ['volume-duplicate', (x) => { pod(x).volumes.push({ ...pod(x).volumes[0] }); }],
        ['volume-name-bad', (x) => { pod(x).volumes[0].name = 'Tmp_Dir'; c0(x).volumeMounts[0].name = 'Tmp_Dir'; }],
        ['probe-no-handler', (x) => { delete c0(x).livenessProbe.httpGet; }],
        ['probe-two-handlers', (x) => { c0(x).livenessProbe.tcpSocket = { port: 8000 }; }],
        ['probe-negative-period', (x) => { c0(x).readinessProbe.periodSeconds = -1; }],
        ['probe-liveness-success-2', (x) => { c0(x).livenessProbe.successThreshold = 2; }],
        ['probe-readiness-success-2', (x) => { c0(x).readinessProbe.successThreshold = 2; }],
        ['probe-port-zero', (x) => { c0(x).readinessProbe.httpGet.port = 0; }],
        ['probe-port-name-bad', (x) => { c0(x).readinessProbe.httpGet.port = 'Not_A_Port'; }],
        ['run-as-user-negative', (x) => { pod(x).securityContext.runAsUser = -1; }],
        ['run-as-user-huge', (x) => { pod(x).securityContext.runAsUser = 2 ** 31; }],
        ['fs-group-negative', (x) => { pod(x).securityContext.fsGroup = -5; }],
        ['seccomp-type-bad', (x) => { c0(x).securityContext.seccompProfile = { type: 'Default' }; }],
        ['seccomp-localhost-without-profile', (x) => { c0(x).securityContext.seccompProfile = { type: 'Localhost' }; }],
        ['privileged-and-no-escalation', (x) => { c0(x).securityContext.privileged = true; }],
        ['run-as-non-root-with-root', (x) => { c0(x).securityContext.runAsUser = 0; }],
        ['requests-above-limits', (x) => { c0(x).resources.requests.cpu = '2'; }],
        ['resource-negative', (x) => { c0(x).resources.limits.memory = '-1Mi'; }],
        ['resource-not-quantity', (x) => { c0(x).resources.limits.memory = 'lots'; }],
        ['resource-name-bad', (x) => { c0(x).resources.limits.gpu = '1'; }],
        ['resource-extended-request-ne-limit', (x) => { c0(x).resources.requests['example.com/gpu'] = '1'; c0(x).resources.limits['example.com/gpu'] = '2'; }],
        ['resource-extended-fraction', (x) => { c0(x).resources.requests['example.com/gpu'] = '500m'; c0(x).resources.limits['example.com/gpu'] = '500m'; }],
        ['resource-extended-ok', (x) => { c0(x).resources.requests['example.com/gpu'] = '1'; c0(x).resources.limits['example.com/gpu'] = '1'; }],
        ['host-ip-bad', (x) => { c0(x).ports[0].hostIP = 'not-an-ip'; }],
        ['capability-lowercase-ok', (x) => { c0(x).securityContext.capabilities.drop = ['all']; }],
        ['working-dir-relative-ok', (x) => { c0(x).workingDir = 'app'; }],
        ['grpc-probe-port-zero', (x) => { c0(x).readinessProbe = { grpc: { port: 0 }, periodSeconds: 10 }; }],
        ['grace-negative', (x) => { pod(x).terminationGracePeriodSeconds = -1; }],
        ['template-label-bad', (x) => { x.spec.template.metadata.labels.extra = '-bad'; }],
        // Pod-spec semantics (ValidatePodSpec): tolerations, spread, env and volume sources,
        // lifecycle handlers, sysctls, host aliases, DNS, restart policy.
        ['toleration-exists-with-value', (x) => { pod(x).tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]; }],
        ['toleration-operator-bad', (x) => { pod(x).tolerations = [{ key: 'k', operator: 'Like', value: 'v' }]; }],
        ['toleration-effect-bad', (x) => { pod(x).tolerations = [{ key: 'k', operator: 'Equal', value: 'v', effect: 'Sometimes' }]; }],
        ['toleration-seconds-without-noexecute', (x) => { pod(x).tolerations = [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule', tolerationSeconds: 30 }]; }],
        ['toleration-empty-key-equal', (x) => { pod(x).tolerations = [{ operator: 'Equal', value: 'v' }]; }],
        ['toleration-key-bad', (x) => { pod(x).tolerations = [{ key: '-bad', operator: 'Exists' }]; }],
        ['toleration-value-bad', (x) => { pod(x).tolerations = [{ key: 'k', operator: 'Equal', value: 'a b' }]; }],
        ['toleration-ok', (x) => { pod(x).tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }, { operator: 'Exists' }]; }],
        ['spread-max-skew-zero', (x) => { pod(x).topologySpreadConstraints[0].maxSkew = 0; }],
        ['spread-topology-key-empty', (x) => { pod(x).topologySpreadConstraints[0].topologyKey = ''; }],
        ['spread-when-bad', (x) => { pod(x).topologySpreadConstraints[0].whenUnsatisfiable = 'Maybe'; }],
        ['spread-duplicate', (x) => { pod(x).topologySpreadConstraints.push(structuredClone(pod(x).topologySpreadConstraints[0])); }],
        ['spread-min-domains-with-schedule-anyway', (x) => { pod(x).topologySpreadConstraints[0].whenUnsatisfiable = 'ScheduleAnyway'; pod(x).topologySpreadConstraints[0].minDomains = 2; }],
        ['spread-min-domains-zero', (x) => { pod(x).topologySpreadConstraints[0].whenUnsatisfiable = 'DoNotSchedule'; pod(x).topologySpreadConstraints[0].minDomains = 0; }],
        ['spread-node-affinity-policy-bad', (x) => { pod(x).topologySpreadConstraints[0].nodeAffinityPolicy = 'Sometimes'; }],
        ['spread-ok', (x) => { pod(x).topologySpreadConstraints[0].whenUnsatisfiable = 'DoNotSchedule'; pod(x).topologySpreadConstraints[0].minDomains = 2; }],
        ['env-from-two-sources', (x) => { c0(x).env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, configMapKeyRef: { name: 'c', key: 'k' } } }]; }],
        ['env-from-no-source', (x) => { c0(x).env = [{ name: 'A', valueFrom: {} }]; }],
        ['env-configmap-key-bad', (x) => { c0(x).env = [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'c', key: 'bad key' } } }]; }],
        ['env-secret-key-missing', (x) => { c0(x).env = [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: '' } } }]; }],
        ['env-field-path-bad', (x) => { c0(x).env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.nothing' } } }]; }],
        ['env-resource-field-bad', (x) => { c0(x).env = [{ name: 'A', valueFrom: { resourceFieldRef: { resource: 'gpus' } } }]; }],
        ['env-from-two-refs', (x) => { c0(x).envFrom = [{ configMapRef: { name: 'c' }, secretRef: { name: 's' } }]; }],
        ['env-from-prefix-bad', (x) => { c0(x).envFrom = [{ prefix: '1 bad', configMapRef: { name: 'c' } }]; }],
        ['env-from-ok', (x) => { c0(x).envFrom = [...(c0(x).envFrom ?? []), { prefix: 'X_', secretRef: { name: 's', optional: true } }]; }],
        ['volume-no-source', (x) => { pod(x).volumes.push({ name: 'empty' }); }],
        ['volume-two-sources', (x) => { pod(x).volumes[0].configMap = { name: 'c' }; }],
        ['volume-configmap-mode-bad', (x) => { pod(x).volumes.push({ name: 'cm', configMap: { name: 'c', defaultMode: 1000 } }); }],
        ['volume-item-path-dotdot', (x) => { pod(x).volumes.push({ name: 'cm', configMap: { name: 'c', items: [{ key: 'k', path: '../escape' }] } }); }],
        ['volume-item-path-absolute', (x) => { pod(x).volumes.push({ name: 'cm', secret: { secretName: 's', items: [{ key: 'k', path: '/abs' }] } }); }],
        ['volume-secret-name-missing', (x) => { pod(x).volumes.push({ name: 'sec', secret: {} }); }],
        ['volume-empty-dir-medium-bad', (x) => { pod(x).volumes[0].emptyDir.medium = 'Disk'; }],
        ['volume-hostpath-type-bad', (x) => { pod(x).volumes.push({ name: 'host', hostPath: { path: '/var/log', type: 'Folder' } }); }],
        ['volume-pvc-claim-missing', (x) => { pod(x).volumes.push({ name: 'data', persistentVolumeClaim: { claimName: '' } }); }],
        ['volume-ok', (x) => { pod(x).volumes.push({ name: 'cm', configMap: { name: 'c', defaultMode: 0o440, items: [{ key: 'k', path: 'dir/file' }] } }); }],
        ['lifecycle-no-handler', (x) => { c0(x).lifecycle = { preStop: {} }; }],
        ['lifecycle-two-handlers', (x) => { c0(x).lifecycle = { preStop: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } }; }],
        ['lifecycle-ok', (x) => { c0(x).lifecycle = { preStop: { exec: { command: ['sleep', '5'] } } }; }],
        ['sysctl-name-bad', (x) => { pod(x).securityContext.sysctls = [{ name: 'Bad Name', value: '1' }]; }],
        ['sysctl-duplicate', (x) => { pod(x).securityContext.sysctls = [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }, { name: 'net.ipv4.ip_local_port_range', value: '2000 3000' }]; }],
        ['host-alias-ip-bad', (x) => { pod(x).hostAliases = [{ ip: 'not-an-ip', hostnames: ['a.example.com'] }]; }],
        ['host-alias-ok', (x) => { pod(x).hostAliases = [{ ip: '10.1.2.3', hostnames: ['a.example.com'] }]; }],
        ['dns-none-without-nameservers', (x) => { pod(x).dnsPolicy = 'None'; }],
        ['dns-policy-bad', (x) => { pod(x).dnsPolicy = 'Custom'; }],
        ['dns-nameserver-bad', (x) => { pod(x).dnsConfig = { nameservers: ['dns.example.com'] }; }],
        ['dns-four-nameservers', (x) => { pod(x).dnsPolicy = 'None'; pod(x).dnsConfig = { nameservers: ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4'] }; }],
        ['dns-search-bad', (x) => { pod(x).dnsConfig = { searches: ['Bad_Domain'] }; }],
        ['dns-option-name-missing', (x) => { pod(x).dnsConfig = { options: [{ value: '2' }] }; }],
        ['dns-ok', (x) => { pod(x).dnsPolicy = 'None'; pod(x).dnsConfig = { nameservers: ['1.1.1.1'], searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '2' }] }; }],
        ['restart-policy-never', (x) => { pod(x).restartPolicy = 'Never'; }],
        ['restart-policy-bad', (x) => { pod(x).restartPolicy = 'Sometimes'; }],
        ['image-pull-policy-bad', (x) => { c0(x).imagePullPolicy = 'Sometimes'; }],
        ['termination-message-policy-bad', (x) => { c0(x).terminationMessagePolicy = 'Always'; }],
        ['active-deadline-zero', (x) => { pod(x).activeDeadlineSeconds = 0; }],
        ['os-name-bad', (x) => { pod(x).os = { name: 'plan9' }; }],
        ['os-windows-with-linux-fields', (x) => { pod(x).os = { name: 'windows' }; }],
        ['os-linux-with-windows-options', (x) => { pod(x).os = { name: 'linux' }; c0(x).securityContext.windowsOptions = { runAsUserName: 'app' }; }],
        ['os-linux-ok', (x) => { pod(x).os = { name: 'linux' }; }],
        ['priority-class-bad', (x) => { pod(x).priorityClassName = 'Bad_Class'; }],
        ['node-selector-value-bad', (x) => { pod(x).nodeSelector = { disk: 'a b' }; }],
        ['service-account-name-bad', (x) => { pod(x).serviceAccountName = 'Bad_SA'; }],
        ['unknown-field', (x) => { c0(x).imagePullPolicyy = 'Always'; }],
      );
      break;
    case 'Service':
      out.push(
        ['port-zero', (x) => { x.spec.ports[0].port = 0; }],
        ['port-too-big', (x) => { x.spec.ports[0].port = 70000; }],
        ['target-port-name-bad', (x) => { x.spec.ports[0].targetPort = 'Bad_Port'; }],
        ['target-port-number-bad', (x) => { x.spec.ports[0].targetPort = 0; }],
        ['node-port-on-clusterip', (x) => { x.spec.type = 'ClusterIP'; x.spec.ports[0].nodePort = 30090; }],
        ['node-port-out-of-range', (x) => { x.spec.type = 'NodePort'; x.spec.ports[0].nodePort = 80; }],
        ['node-port-ok', (x) => { x.spec.type = 'NodePort'; x.spec.ports[0].nodePort = 30091; }],
        ['type-bad', (x) => { x.spec.type = 'Public'; }],
        ['protocol-bad', (x) => { x.spec.ports[0].protocol = 'HTTP'; }],
        ['second-port-unnamed', (x) => { x.spec.ports.push({ port: 9000, targetPort: 9000 }); delete x.spec.ports[0].name; }],
        ['duplicate-port-name', (x) => { x.spec.ports.push({ ...x.spec.ports[0], port: 9001 }); }],
        ['duplicate-port', (x) => { x.spec.ports.push({ ...x.spec.ports[0], name: 'other' }); }],
        ['port-name-bad', (x) => { x.spec.ports[0].name = 'Web_Port'; }],
        ['selector-value-bad', (x) => { x.spec.selector = { ...x.spec.selector, extra: '-bad' }; }],
        ['no-ports', (x) => { x.spec.ports = []; }],
        // Service fields by type (ValidateService).
        ['external-name-missing', (x) => { x.spec.type = 'ExternalName'; delete x.spec.selector; }],
        ['external-name-bad', (x) => { x.spec.type = 'ExternalName'; x.spec.externalName = 'Bad_Host'; delete x.spec.selector; }],
        ['external-name-ok', (x) => { x.spec.type = 'ExternalName'; x.spec.externalName = 'db.example.com'; delete x.spec.selector; }],
        ['headless-node-port', (x) => { x.spec.type = 'NodePort'; x.spec.clusterIP = 'None'; }],
        ['cluster-ip-bad', (x) => { x.spec.clusterIP = 'not-an-ip'; }],
        ['external-traffic-policy-on-clusterip', (x) => { x.spec.externalTrafficPolicy = 'Local'; }],
        ['external-traffic-policy-bad', (x) => { x.spec.type = 'NodePort'; x.spec.externalTrafficPolicy = 'Nearest'; }],
        ['external-traffic-policy-ok', (x) => { x.spec.type = 'NodePort'; x.spec.externalTrafficPolicy = 'Local'; }],
        ['health-check-port-on-nodeport', (x) => { x.spec.type = 'NodePort'; x.spec.healthCheckNodePort = 30500; }],
        ['source-ranges-on-clusterip', (x) => { x.spec.loadBalancerSourceRanges = ['10.0.0.0/8']; }],
        ['source-range-bad', (x) => { x.spec.type = 'LoadBalancer'; x.spec.loadBalancerSourceRanges = ['10.0.0.0/40']; }],
        ['source-range-ok', (x) => { x.spec.type = 'LoadBalancer'; x.spec.loadBalancerSourceRanges = ['10.0.0.0/8']; }],
        ['session-affinity-bad', (x) => { x.spec.sessionAffinity = 'Cookie'; }],
        ['session-timeout-zero', (x) => { x.spec.sessionAffinity = 'ClientIP'; x.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 0 } }; }],
        ['session-timeout-without-affinity', (x) => { x.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 60 } }; }],
        ['session-affinity-ok', (x) => { x.spec.sessionAffinity = 'ClientIP'; x.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 600 } }; }],
        ['external-ip-bad', (x) => { x.spec.externalIPs = ['not-an-ip']; }],
        ['ip-family-policy-bad', (x) => { x.spec.ipFamilyPolicy = 'Both'; }],
        ['ip-families-three', (x) => { x.spec.ipFamilies = ['IPv4', 'IPv6', 'IPv4']; x.spec.ipFamilyPolicy = 'RequireDualStack'; }],
        ['internal-traffic-policy-bad', (x) => { x.spec.internalTrafficPolicy = 'Nearest'; }],
        ['app-protocol-bad', (x) => { x.spec.ports[0].appProtocol = 'Not A Protocol'; }],
        ['app-protocol-ok', (x) => { x.spec.ports[0].appProtocol = 'kubernetes.io/h2c'; }],
        ['allocate-lb-node-ports-on-clusterip', (x) => { x.spec.allocateLoadBalancerNodePorts = false; }],
      );
      break;
    case 'HorizontalPodAutoscaler':
      out.push(
        ['min-zero', (x) => { x.spec.minReplicas = 0; }],
        ['max-below-min', (x) => { x.spec.maxReplicas = 1; }],
        ['max-zero', (x) => { x.spec.maxReplicas = 0; }],
        ['target-name-missing', (x) => { delete x.spec.scaleTargetRef.name; }],
        ['target-kind-missing', (x) => { delete x.spec.scaleTargetRef.kind; }],
        ['metric-target-type-bad', (x) => { x.spec.metrics[0].resource.target.type = 'Percent'; }],
        ['metric-utilization-zero', (x) => { x.spec.metrics[0].resource.target.averageUtilization = 0; }],
        ['metric-name-missing', (x) => { delete x.spec.metrics[0].resource.name; }],
        ['max-equals-min', (x) => { x.spec.maxReplicas = x.spec.minReplicas; }],
        ['behavior-window-too-long', (x) => { x.spec.behavior = { scaleDown: { stabilizationWindowSeconds: 3601 } }; }],
        ['behavior-window-negative', (x) => { x.spec.behavior = { scaleUp: { stabilizationWindowSeconds: -1 } }; }],
        ['behavior-select-policy-bad', (x) => { x.spec.behavior = { scaleUp: { selectPolicy: 'Avg' } }; }],
        ['behavior-policy-type-bad', (x) => { x.spec.behavior = { scaleUp: { policies: [{ type: 'Replicas', value: 1, periodSeconds: 60 }] } }; }],
        ['behavior-policy-value-zero', (x) => { x.spec.behavior = { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 60 }] } }; }],
        ['behavior-policy-period-too-long', (x) => { x.spec.behavior = { scaleDown: { policies: [{ type: 'Percent', value: 10, periodSeconds: 1801 }] } }; }],
        ['behavior-ok', (x) => { x.spec.behavior = { scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] } }; }],
      );
      break;
    case 'PodDisruptionBudget':
      out.push(
        ['both-min-and-max', (x) => { x.spec.minAvailable = 1; }],
        ['max-negative', (x) => { x.spec.maxUnavailable = -1; }],
        ['percent-over-100', (x) => { x.spec.maxUnavailable = '150%'; }],
        ['percent-bad', (x) => { x.spec.maxUnavailable = 'half'; }],
        ['percent-ok', (x) => { x.spec.maxUnavailable = '50%'; }],
        ['eviction-policy-bad', (x) => { x.spec.unhealthyPodEvictionPolicy = 'Never'; }],
        ['selector-operator-bad', (x) => { x.spec.selector.matchExpressions = [{ key: 'a', operator: 'Has' }]; }],
        ['selector-label-bad', (x) => { x.spec.selector.matchLabels.extra = 'bad value'; }],
      );
      break;
    case 'NetworkPolicy':
      out.push(
        ['policy-type-bad', (x) => { x.spec.policyTypes = ['Sideways']; }],
        ['policy-types-three', (x) => { x.spec.policyTypes = ['Ingress', 'Egress', 'Ingress']; }],
        ['pod-selector-bad', (x) => { x.spec.podSelector = { matchLabels: { '-bad': 'x' } }; }],
        ['ingress-port-zero', (x) => { x.spec.ingress = [{ ports: [{ port: 0, protocol: 'TCP' }] }]; }],
        ['ingress-protocol-bad', (x) => { x.spec.ingress = [{ ports: [{ port: 80, protocol: 'HTTP' }] }]; }],
        ['ingress-port-name-bad', (x) => { x.spec.ingress = [{ ports: [{ port: 'Bad_Name' }] }]; }],
        ['end-port-below-port', (x) => { x.spec.ingress = [{ ports: [{ port: 8000, endPort: 7000 }] }]; }],
        ['ipblock-bad-cidr', (x) => { x.spec.egress = [{ to: [{ ipBlock: { cidr: '10.0.0.0/40' } }] }]; }],
        ['ipblock-not-cidr', (x) => { x.spec.egress = [{ to: [{ ipBlock: { cidr: 'everywhere' } }] }]; }],
        ['ipblock-and-selector', (x) => { x.spec.egress = [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }]; }],
        ['ipblock-ok', (x) => { x.spec.egress = [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }]; }],
        ['peer-empty', (x) => { x.spec.ingress = [{ from: [{}] }]; }],
      );
      break;
    case 'ConfigMap':
      out.push(
        ['key-bad', (x) => { x.data['bad key'] = 'v'; }],
        ['key-dotdot', (x) => { x.data['..hidden'] = 'v'; }],
        ['key-long', (x) => { x.data['K'.repeat(254)] = 'v'; }],
        ['key-ok', (x) => { x.data['ok.key-1_x'] = 'v'; }],
        ['data-too-big', (x) => { x.data.BIG = 'x'.repeat(1024 * 1024); }],
        ['binary-data-overlap', (x) => { x.binaryData = { LOG_LEVEL: 'aGVsbG8=' }; }],
        ['binary-data-key-bad', (x) => { x.binaryData = { 'bad key': 'aGVsbG8=' }; }],
        ['binary-data-ok', (x) => { x.binaryData = { 'logo.png': 'aGVsbG8=' }; }],
      );
      break;
    default:
      break;
  }
  return out;
}

/** The objects the cases mutate: dist/production's (but its Namespace), and a valid object of each other kind (other-kinds.ts). */
export const baselineObjects = (): Obj[] => [...productionObjects().filter((o) => o.kind !== 'Namespace'), ...otherKindObjects()];

/** Every mutation case, in a stable order. */
export function mutationCases(): MutationCase[] {
  const out: MutationCase[] = [];
  const seenKinds = new Set<string>();
  for (const object of baselineObjects()) {
    // One object per kind for the kind-specific families; names and labels on every kind.
    const first = !seenKinds.has(object.kind);
    seenKinds.add(object.kind);
    if (!first) continue;
    for (const [what, mutate] of [...kindMutations(object), ...otherKindMutations(object)]) {
      const copy = structuredClone(object);
      mutate(copy);
      out.push({ id: `${object.kind}/${what}`, target: `${object.kind}/${object.metadata.name}`, object: copy });
    }
  }
  return out;
}
