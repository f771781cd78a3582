import { containersOf, type PodTemplate, podTemplateOf } from '../pod-spec';
import type { KubeObject, Rule, Violation } from '../rule';

/**
 * The Pod Security Standards at Kubernetes v1.28: every "baseline" check and every "restricted"
 * check, with the check names of the Pod Security Admission controller (pss.<checkId>).
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 * @see https://github.com/kubernetes/pod-security-admission/tree/master/policy
 */
const SOURCE = 'Pod Security Standards v1.28 (kubernetes/pod-security-admission)';

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports']);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

type PodCheck = (t: PodTemplate) => Violation[];

function podRule(checkId: string, check: PodCheck): Rule {
  return {
    id: `pss.${checkId}`,
    source: SOURCE,
    exemptible: false,
    check: (o: KubeObject) => {
      const t = podTemplateOf(o);
      return t ? check(t) : [];
    },
  };
}

const sc = (c: KubeObject) => c.securityContext ?? {};

export const PSS_RULES: readonly Rule[] = [
  podRule('hostNamespaces', (t) => ['hostNetwork', 'hostPID', 'hostIPC']
    .filter((f) => t.spec[f] === true)
    .map((f) => ({ path: `${t.path}.${f}`, message: `${f} shares a host namespace; remove it or set false` }))),

  podRule('privileged', (t) => containersOf(t)
    .filter(({ container }) => sc(container).privileged === true)
    .map(({ path }) => ({ path: `${path}.securityContext.privileged`, message: 'privileged containers are forbidden; set privileged: false' }))),

  podRule('capabilities_baseline', (t) => containersOf(t).flatMap(({ container, path }) =>
    (sc(container).capabilities?.add ?? [])
      .filter((cap: string) => !BASELINE_CAPABILITIES.has(cap))
      .map((cap: string) => ({ path: `${path}.securityContext.capabilities.add`, message: `capability ${cap} is not allowed by baseline; remove it` })))),

  podRule('hostPathVolumes', (t) => (t.spec.volumes ?? [])
    .map((v: KubeObject, i: number) => ({ v, i }))
    .filter(({ v }: { v: KubeObject }) => v?.hostPath)
    .map(({ i }: { i: number }) => ({ path: `${t.path}.volumes[${i}].hostPath`, message: 'hostPath volumes are forbidden; use emptyDir or a PersistentVolumeClaim' }))),

  podRule('hostPorts', (t) => containersOf(t).flatMap(({ container, path }) =>
    (container.ports ?? [])
      .map((p: KubeObject, i: number) => ({ p, i }))
      .filter(({ p }: { p: KubeObject }) => p?.hostPort !== undefined && p.hostPort !== null && p.hostPort !== 0)
      .map(({ i }: { i: number }) => ({ path: `${path}.ports[${i}].hostPort`, message: 'hostPort is forbidden; expose the port through a Service' })))),

  podRule('appArmorProfile', (t) => {
    const out: Violation[] = [];
    for (const [key, value] of Object.entries<string>(t.metadata.annotations ?? {})) {
      if (key.startsWith(APPARMOR_PREFIX) && value !== 'runtime/default' && !value.startsWith('localhost/')) {
        out.push({ path: `${t.metadataPath}.annotations["${key}"]`, message: `AppArmor profile ${value} is not allowed; use runtime/default or localhost/<profile>` });
      }
    }
    const fieldOk = (p: KubeObject | undefined) => p === undefined || p === null || p.type === 'RuntimeDefault' || p.type === 'Localhost';
    if (!fieldOk(t.spec.securityContext?.appArmorProfile)) out.push({ path: `${t.path}.securityContext.appArmorProfile`, message: 'AppArmor profile type must be RuntimeDefault or Localhost' });
    for (const { container, path } of containersOf(t)) {
      if (!fieldOk(sc(container).appArmorProfile)) out.push({ path: `${path}.securityContext.appArmorProfile`, message: 'AppArmor profile type must be RuntimeDefault or Localhost' });
    }
    return out;
  }),

  podRule('seLinuxOptions', (t) => {
    const out: Violation[] = [];
    const check = (opts: KubeObject | undefined, path: string) => {
      if (!opts) return;
      if (!SELINUX_TYPES.has(opts.type ?? '')) out.push({ path: `${path}.type`, message: `SELinux type ${opts.type} is not allowed; use container_t, container_init_t or container_kvm_t` });
      for (const f of ['user', 'role']) if (opts[f]) out.push({ path: `${path}.${f}`, message: `SELinux ${f} must not be set` });
    };
    check(t.spec.securityContext?.seLinuxOptions, `${t.path}.securityContext.seLinuxOptions`);
    for (const { container, path } of containersOf(t)) check(sc(container).seLinuxOptions, `${path}.securityContext.seLinuxOptions`);
    return out;
  }),

  podRule('procMount', (t) => containersOf(t)
    .filter(({ container }) => sc(container).procMount !== undefined && sc(container).procMount !== null && sc(container).procMount !== 'Default')
    .map(({ path }) => ({ path: `${path}.securityContext.procMount`, message: 'procMount must be Default' }))),

  podRule('seccompProfile_baseline', (t) => {
    const out: Violation[] = [];
    if (t.spec.securityContext?.seccompProfile?.type === 'Unconfined') out.push({ path: `${t.path}.securityContext.seccompProfile.type`, message: 'seccomp Unconfined is forbidden; use RuntimeDefault' });
    for (const { container, path } of containersOf(t)) {
      if (sc(container).seccompProfile?.type === 'Unconfined') out.push({ path: `${path}.securityContext.seccompProfile.type`, message: 'seccomp Unconfined is forbidden; use RuntimeDefault' });
    }
    return out;
  }),

  podRule('sysctls', (t) => (t.spec.securityContext?.sysctls ?? [])
    .map((s: KubeObject, i: number) => ({ s, i }))
    .filter(({ s }: { s: KubeObject }) => !SAFE_SYSCTLS.has(s?.name))
    .map(({ s, i }: { s: KubeObject; i: number }) => ({ path: `${t.path}.securityContext.sysctls[${i}]`, message: `sysctl ${s?.name} is not in the safe set` }))),

  podRule('windowsHostProcess', (t) => {
    const out: Violation[] = [];
    if (t.spec.securityContext?.windowsOptions?.hostProcess === true) out.push({ path: `${t.path}.securityContext.windowsOptions.hostProcess`, message: 'Windows HostProcess pods are forbidden' });
    for (const { container, path } of containersOf(t)) {
      if (sc(container).windowsOptions?.hostProcess === true) out.push({ path: `${path}.securityContext.windowsOptions.hostProcess`, message: 'Windows HostProcess containers are forbidden' });
    }
    return out;
  }),

  podRule('restrictedVolumes', (t) => (t.spec.volumes ?? []).flatMap((v: KubeObject, i: number) => {
    const types = Object.keys(v ?? {}).filter((k) => k !== 'name');
    return types.filter((k) => !RESTRICTED_VOLUME_TYPES.has(k))
      .map((k) => ({ path: `${t.path}.volumes[${i}].${k}`, message: `volume type ${k} is not allowed by restricted; use configMap, secret, emptyDir, projected, downwardAPI, csi, ephemeral or persistentVolumeClaim` }));
  })),

  podRule('allowPrivilegeEscalation', (t) => containersOf(t)
    .filter(({ container }) => sc(container).allowPrivilegeEscalation !== false)
    .map(({ path }) => ({ path: `${path}.securityContext.allowPrivilegeEscalation`, message: 'must be set to false' }))),

  podRule('runAsNonRoot', (t) => {
    const out: Violation[] = [];
    const podValue = t.spec.securityContext?.runAsNonRoot;
    if (podValue === false) out.push({ path: `${t.path}.securityContext.runAsNonRoot`, message: 'must not be false; set runAsNonRoot: true' });
    for (const { container, path } of containersOf(t)) {
      const value = sc(container).runAsNonRoot;
      if (value === false) out.push({ path: `${path}.securityContext.runAsNonRoot`, message: 'must not be false; set runAsNonRoot: true' });
      else if (value !== true && podValue !== true) out.push({ path: `${path}.securityContext.runAsNonRoot`, message: 'must be true here or in the pod securityContext' });
    }
    return out;
  }),

  podRule('runAsUser', (t) => {
    const out: Violation[] = [];
    if (t.spec.securityContext?.runAsUser === 0) out.push({ path: `${t.path}.securityContext.runAsUser`, message: 'must not be 0 (root)' });
    for (const { container, path } of containersOf(t)) {
      if (sc(container).runAsUser === 0) out.push({ path: `${path}.securityContext.runAsUser`, message: 'must not be 0 (root)' });
    }
    return out;
  }),

  podRule('seccompProfile_restricted', (t) => {
    const out: Violation[] = [];
    const allowed = (type: unknown) => type === 'RuntimeDefault' || type === 'Localhost';
    const podType = t.spec.securityContext?.seccompProfile?.type;
    if (podType !== undefined && podType !== null && !allowed(podType)) {
      out.push({ path: `${t.path}.securityContext.seccompProfile.type`, message: 'must be RuntimeDefault or Localhost' });
    }
    for (const { container, path } of containersOf(t)) {
      const type = sc(container).seccompProfile?.type;
      if (type !== undefined && type !== null) {
        if (!allowed(type)) out.push({ path: `${path}.securityContext.seccompProfile.type`, message: 'must be RuntimeDefault or Localhost' });
      } else if (!allowed(podType)) {
        out.push({ path: `${path}.securityContext.seccompProfile`, message: 'must be set to RuntimeDefault or Localhost, here or in the pod securityContext' });
      }
    }
    return out;
  }),

  podRule('capabilities_restricted', (t) => containersOf(t).flatMap(({ container, path }) => {
    const caps = sc(container).capabilities ?? {};
    const out: Violation[] = [];
    if (!(caps.drop ?? []).includes('ALL')) out.push({ path: `${path}.securityContext.capabilities.drop`, message: 'must drop ALL' });
    for (const cap of caps.add ?? []) {
      if (cap !== 'NET_BIND_SERVICE') out.push({ path: `${path}.securityContext.capabilities.add`, message: `may add only NET_BIND_SERVICE, not ${cap}` });
    }
    return out;
  })),
];
