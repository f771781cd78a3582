import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../tools/processes';
import { repoRoot } from '../tools/repo-root';
import { type ClusterBinaries, ClusterBuildError, ensureNodeBinaries, type NODE_MODULES } from './build';
import { type ImageSource, packImages, packSource } from './images';

/**
 * The real node of tier `node` (SPEC S10): containerd with Debian's runc and CNI plugins, a
 * kubelet, kube-proxy (iptables), kube-router (NetworkPolicies only), CoreDNS as a pod behind
 * the kube-dns Service, and metrics-server for the HPAs. Facts it relies on are in
 * ../shared/notes/real-node.md: cgroup v1 (failCgroupV1: false, cgroupfs), no CAP_SYS_RESOURCE
 * (restrict_oom_score_adj), no registry (every image is imported, the sandbox image included).
 *
 * The node's address is the gateway of its pod bridge, so pods reach the API server (CoreDNS
 * does) and the API server reaches the kubelet and metrics-server without any port on another
 * interface. Host state is snapshotted before anything starts and restored by host-state.js.
 * Only one node runs per machine: its fixed ports and paths allow no second one (NODE_LOCK).
 */

export const NODE_NAME = 'todo-node';
export const BRIDGE = 'todostack0';
export const POD_CIDR = '10.244.0.0/24';
export const NODE_IP = '10.244.0.1';
export const SERVICE_CIDR = '10.96.0.0/16';
export const DNS_IP = '10.96.0.10';
const PAUSE_IMAGE = 'localhost/todo-stack/pause:1';
const COREDNS_IMAGE = 'localhost/todo-stack/coredns:1';
/** Debian's packages the node needs, by the command (or file) that shows each is there. */
const DEBIAN = { runc: '/usr/sbin/runc', 'containernetworking-plugins': '/usr/lib/cni/bridge', iptables: '/usr/sbin/iptables', ipset: '/usr/sbin/ipset', conntrack: '/usr/sbin/conntrack', 'busybox-static': '/bin/busybox', iproute2: '/usr/sbin/ip' } as const;
const CNI_BIN = '/usr/lib/cni';
const HOST_STATE = () => join(repoRoot(), 'lib', 'cluster', 'host-state.js');
/** The machine-wide claim on the one real node (defined in host-state.js, which releases it). */
export const NODE_LOCK: string = (require(HOST_STATE()) as { NODE_LOCK: string }).NODE_LOCK;

/** What the control plane needs to know before it starts, and what it gives the node. */
export interface NodePrep {
  readonly dir: string;
  readonly frontProxy: { readonly ca: string; readonly cert: string; readonly key: string };
  readonly kubeletClient: { readonly ca: string; readonly cert: string; readonly key: string };
  readonly binaries: Record<keyof typeof NODE_MODULES, string>;
}

function sh(file: string, args: readonly string[], what: string, input?: string): string {
  const r = spawnSync(file, [...args], { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${what} failed (${file} ${args.join(' ')}): ${(r.stderr || String(r.error ?? '')).trim()}`);
  return r.stdout;
}

/** Installs Debian's packages the node needs when some are missing (root with apt-get), or says which. */
export function ensureHostPackages(log: (line: string) => void): void {
  const missing = Object.entries(DEBIAN).filter(([, path]) => !existsSync(path)).map(([pkg]) => pkg);
  if (!missing.length) return;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) throw new ClusterBuildError(`the node tier needs Debian's ${missing.join(', ')}: apt-get install -y ${missing.join(' ')}`);
  log(`cluster: installing Debian's ${missing.join(', ')}`);
  const install = () => spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    if (!install()) throw new ClusterBuildError(`apt-get install -y ${missing.join(' ')} failed`);
  }
}

/** The owner of the one real node on this machine, if one runs. */
export function nodeOwner(): { pid: number; dir: string } | undefined {
  try {
    const lock = JSON.parse(readFileSync(NODE_LOCK, 'utf8')) as { pid: number; dir: string };
    return isAlive(lock.pid) && existsSync(lock.dir) ? lock : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Claims the node and readies the host before the control plane starts: checks the packages,
 * builds the node's binaries, snapshots the host, makes the pod bridge (the node's address) and
 * the certificates the API server needs for the kubelet and the aggregated metrics API.
 */
export function prepareNode(clusterDir: string, log: (line: string) => void): NodePrep {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) throw new ClusterBuildError('the node tier runs a kubelet: it needs Linux and root');
  const owner = nodeOwner();
  if (owner) throw new ClusterBuildError(`a real node already runs on this machine (pid ${owner.pid}, ${owner.dir}): only one node tier can run at a time; stop it first (npm run cluster -- down)`);
  ensureHostPackages(log);
  const binaries = ensureNodeBinaries(log);
  // A node whose owner and watchdog both died leaves its snapshot: undo it before claiming.
  try {
    const stale = JSON.parse(readFileSync(NODE_LOCK, 'utf8')) as { dir: string };
    if (existsSync(join(stale.dir, 'node', 'host-before.json'))) spawnSync(process.execPath, [HOST_STATE(), 'restore', join(stale.dir, 'node')], { stdio: 'ignore' });
  } catch {
    // no stale lock
  }
  const dir = join(clusterDir, 'node');
  mkdirSync(join(dir, 'pki'), { recursive: true });
  sh(process.execPath, [HOST_STATE(), 'snapshot', join(dir, 'host-before.json')], 'snapshotting the host');
  writeFileSync(join(dir, 'binaries.json'), JSON.stringify(['containerd-shim-runc-v2', 'containerd'].map((b) => join(binaries.containerd, b))));
  writeFileSync(NODE_LOCK, JSON.stringify({ pid: process.pid, dir: clusterDir }));
  try {
    writeFileSync('/proc/sys/net/ipv4/ip_forward', '1');
    // Pod to Service to pod on one bridge: the reply must pass iptables to be un-NATed.
    const bridgeNf = '/proc/sys/net/bridge/bridge-nf-call-iptables';
    if (!existsSync(bridgeNf)) throw new ClusterBuildError('the node tier needs bridge netfilter (br_netfilter): /proc/sys/net/bridge is missing; modprobe br_netfilter');
    writeFileSync(bridgeNf, '1');
    sh('ip', ['link', 'add', BRIDGE, 'type', 'bridge'], 'creating the pod bridge');
    sh('ip', ['addr', 'add', `${NODE_IP}/24`, 'dev', BRIDGE], 'addressing the pod bridge');
    sh('ip', ['link', 'set', BRIDGE, 'up'], 'starting the pod bridge');
    // Service addresses go to the bridge: one that kube-proxy has not programmed goes nowhere.
    sh('ip', ['route', 'add', SERVICE_CIDR, 'dev', BRIDGE, 'src', NODE_IP], 'routing the service range');
    sh(join(binaries.nodetools, 'certs'), ['-dir', join(dir, 'pki')], 'making the node certificates');
  } catch (e) {
    spawnSync(process.execPath, [HOST_STATE(), 'restore', dir], { stdio: 'ignore' });
    throw e;
  }
  const pki = (name: string) => ({ ca: join(dir, 'pki', `${name}-ca.crt`), cert: join(dir, 'pki', `${name}.crt`), key: join(dir, 'pki', `${name}.key`) });
  return { dir, binaries, frontProxy: pki('front-proxy-client'), kubeletClient: pki('kubelet-client') };
}

/** The API server flags of a control plane with a real node. */
export function apiServerNodeFlags(prep: NodePrep): string[] {
  return [
    '--requestheader-client-ca-file', prep.frontProxy.ca, '--requestheader-allowed-names', 'front-proxy-client',
    '--requestheader-username-headers', 'X-Remote-User', '--requestheader-group-headers', 'X-Remote-Group', '--requestheader-extra-headers-prefix', 'X-Remote-Extra-',
    '--proxy-client-cert-file', prep.frontProxy.cert, '--proxy-client-key-file', prep.frontProxy.key, '--enable-aggregator-routing=true',
    '--kubelet-client-certificate', prep.kubeletClient.cert, '--kubelet-client-key', prep.kubeletClient.key,
    '--kubelet-preferred-address-types', 'InternalIP,Hostname',
  ];
}

export interface NodeContext {
  readonly prep: NodePrep;
  readonly control: ClusterBinaries;
  readonly kubeconfig: string;
  readonly server: string;
  /** The token of the `coredns` user (read-only RBAC below). */
  readonly corednsToken: string;
  /** Extra images to import (the stand-ins). */
  readonly images: readonly ImageSource[];
  readonly launch: (name: string, file: string, args: readonly string[], env?: NodeJS.ProcessEnv) => void;
  readonly kubectl: (args: readonly string[], input?: string) => { code: number; stdout: string; stderr: string };
  readonly waitFor: (what: string, timeoutMs: number, ready: () => Promise<boolean>) => Promise<void>;
  readonly log: (line: string) => void;
}

const yaml = (o: unknown) => JSON.stringify(o, null, 1);

function containerdConfig(dir: string): string {
  return `version = 3
root = "${dir}/containerd/root"
state = "${dir}/containerd/state"
disabled_plugins = ["io.containerd.nri.v1.nri", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.blockfile", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "${dir}/containerd.sock"

[ttrpc]
  address = "${dir}/containerd.sock.ttrpc"

[plugins."io.containerd.cri.v1.images"]
  snapshotter = "overlayfs"
  [plugins."io.containerd.cri.v1.images".pinned_images]
    sandbox = "${PAUSE_IMAGE}"

[plugins."io.containerd.cri.v1.runtime"]
  # Root here lacks CAP_SYS_RESOURCE: a negative oom_score_adj is refused (real-node.md).
  restrict_oom_score_adj = true
  disable_apparmor = true
  cdi_spec_dirs = []
  [plugins."io.containerd.cri.v1.runtime".cni]
    bin_dirs = ["${CNI_BIN}"]
    conf_dir = "${dir}/cni"
  [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
    Root = "${dir}/runc"
    SystemdCgroup = false
`;
}

function cniConfig(dir: string): string {
  return yaml({
    cniVersion: '1.0.0', name: 'todo-stack',
    plugins: [
      {
        type: 'bridge', bridge: BRIDGE, isGateway: true, ipMasq: false, hairpinMode: true,
        ipam: { type: 'host-local', ranges: [[{ subnet: POD_CIDR, gateway: NODE_IP }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: join(dir, 'cni-ipam') },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  });
}

function kubeletConfig(dir: string, clientCa: string): string {
  return yaml({
    apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration',
    // The host is cgroup v1 (hybrid): the kubelet refuses it unless told.
    failCgroupV1: false, cgroupDriver: 'cgroupfs',
    containerRuntimeEndpoint: `unix://${dir}/containerd.sock`,
    address: NODE_IP, port: 10250, readOnlyPort: 0, healthzBindAddress: '127.0.0.1', healthzPort: 10248,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: clientCa } },
    authorization: { mode: 'Webhook' },
    clusterDNS: [DNS_IP], clusterDomain: 'cluster.local', resolvConf: '',
    failSwapOn: false, podLogsDir: join(dir, 'pod-logs'),
    // Imported images cannot be pulled again: never collect them.
    imageGCHighThresholdPercent: 100, imageGCLowThresholdPercent: 99,
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'imagefs.available': '1%', 'nodefs.inodesFree': '1%' },
    serializeImagePulls: false, syncFrequency: '10s', nodeStatusUpdateFrequency: '4s',
  });
}

function kubeProxyConfig(kubeconfig: string): string {
  return yaml({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig }, hostnameOverride: NODE_NAME, bindAddress: NODE_IP,
    healthzBindAddress: '127.0.0.1:10256', metricsBindAddress: '127.0.0.1:10249',
    mode: 'iptables', clusterCIDR: POD_CIDR, nodePortAddresses: [`${NODE_IP}/32`],
    // Keep kube-proxy off the host's sysctls (route_localnet, conntrack sizes and timeouts).
    iptables: { localhostNodePorts: false },
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
  });
}

/** CoreDNS in kube-system, behind kube-dns at DNS_IP: the pods' NetworkPolicies allow DNS to k8s-app=kube-dns pods. */
function dnsManifests(kubeconfig: string): string {
  const labels = { 'k8s-app': 'kube-dns' };
  const corefile = `.:53 {
    errors
    health :8080
    ready :8181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig /etc/coredns-kube/kubeconfig
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 5
    loop
}
`;
  const objects = [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'todo-stack:coredns' }, rules: [
      { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'todo-stack:coredns' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'todo-stack:coredns' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'coredns' }] },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: corefile } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'coredns-kubeconfig', namespace: 'kube-system' }, stringData: { kubeconfig } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' }, automountServiceAccountToken: false },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'coredns', namespace: 'kube-system', labels }, spec: {
      replicas: 1, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: {
        serviceAccountName: 'coredns', automountServiceAccountToken: false, dnsPolicy: 'Default', enableServiceLinks: false,
        securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{
          name: 'coredns', image: COREDNS_IMAGE, imagePullPolicy: 'Never', args: ['-conf', '/etc/coredns/Corefile'],
          ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }],
          readinessProbe: { httpGet: { path: '/ready', port: 8181 }, periodSeconds: 2 },
          livenessProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 10 },
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          volumeMounts: [{ name: 'config', mountPath: '/etc/coredns' }, { name: 'kube', mountPath: '/etc/coredns-kube' }],
        }],
        volumes: [{ name: 'config', configMap: { name: 'coredns' } }, { name: 'kube', secret: { secretName: 'coredns-kubeconfig' } }],
      } },
    } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system', labels }, spec: {
      clusterIP: DNS_IP, selector: labels,
      ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }],
    } },
  ];
  return objects.map((o) => yaml(o)).join('\n---\n');
}

/** metrics-server runs on the host at NODE_IP:4443; the aggregator reaches it through this Service. */
function metricsManifests(): string {
  const objects = [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'metrics-server', namespace: 'kube-system' }, spec: { ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 4443 }] } },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'metrics-server-host', namespace: 'kube-system', labels: { 'kubernetes.io/service-name': 'metrics-server' } },
      addressType: 'IPv4', endpoints: [{ addresses: [NODE_IP], conditions: { ready: true } }], ports: [{ name: 'https', port: 4443, protocol: 'TCP' }] },
    { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io' }, spec: {
      service: { name: 'metrics-server', namespace: 'kube-system', port: 443 }, group: 'metrics.k8s.io', version: 'v1beta1',
      insecureSkipTLSVerify: true, groupPriorityMinimum: 100, versionPriority: 100,
    } },
  ];
  return objects.map((o) => yaml(o)).join('\n---\n');
}

function kubeconfigFor(server: string, token: string): string {
  return yaml({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
    clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user: { token } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
  });
}

/** Starts the node's components once the control plane serves, and waits for DNS and metrics. */
export async function startNode(ctx: NodeContext): Promise<void> {
  const { prep, log, launch, kubectl, waitFor } = ctx;
  const dir = prep.dir;
  const bin = prep.binaries;
  for (const sub of ['cni', 'cni-ipam', 'runc', 'pod-logs', 'kubelet', 'images']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'containerd.toml'), containerdConfig(dir));
  writeFileSync(join(dir, 'cni', '10-todo-stack.conflist'), cniConfig(dir));
  writeFileSync(join(dir, 'kubelet.yaml'), kubeletConfig(dir, prep.kubeletClient.ca));
  writeFileSync(join(dir, 'kube-proxy.yaml'), kubeProxyConfig(ctx.kubeconfig));
  // containerd finds its shim on PATH: ours first, or Debian's containerd 1.6 shim could be picked;
  // runc, iptables, ipset and the CNI plugins are Debian's, in the sbin folders.
  const path = `${bin.containerd}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;

  log('cluster: starting containerd');
  launch('containerd', join(bin.containerd, 'containerd'), ['--config', join(dir, 'containerd.toml'), '--log-level', 'warn'], { PATH: path });
  const ctr = (args: readonly string[], what: string) => sh(join(bin.containerd, 'ctr'), ['--address', join(dir, 'containerd.sock'), '--namespace', 'k8s.io', ...args], what);
  await waitFor('containerd', 30_000, async () => spawnSync(join(bin.containerd, 'ctr'), ['--address', join(dir, 'containerd.sock'), 'version'], { stdio: 'ignore' }).status === 0);

  const archives = [
    packImages(join(bin.nodetools, 'imagepack'), 'node', { images: [
      { names: [PAUSE_IMAGE], files: { '/pause': join(bin.nodetools, 'pause') }, entrypoint: ['/pause'], user: '65535:65535' },
      { names: [COREDNS_IMAGE], files: { '/coredns': join(bin.coredns, 'coredns') }, entrypoint: ['/coredns'], user: '65532:65532' },
    ] }, join(dir, 'images')),
    ...ctx.images.map((source) => packSource(join(bin.nodetools, 'imagepack'), source, join(dir, 'images'), log)),
  ];
  for (const archive of archives) ctr(['images', 'import', '--no-unpack=false', archive], `importing ${archive}`);
  log(`cluster: imported ${archives.length} image archives into containerd`);

  log('cluster: starting the kubelet');
  launch('kubelet', ctx.control.kubelet, [
    '--config', join(dir, 'kubelet.yaml'), '--kubeconfig', ctx.kubeconfig, '--root-dir', join(dir, 'kubelet'),
    '--cert-dir', join(dir, 'kubelet-pki'), '--hostname-override', NODE_NAME, '--node-ip', NODE_IP, '--v=1',
  ], { PATH: path });
  await waitFor('the real node Ready', 90_000, async () => {
    const r = kubectl(['get', 'node', NODE_NAME, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
    return r.code === 0 && r.stdout.trim() === 'True';
  });

  log('cluster: starting kube-proxy, kube-router, CoreDNS and metrics-server');
  launch('kube-proxy', ctx.control.kubeProxy, ['--config', join(dir, 'kube-proxy.yaml'), '--v=1'], { PATH: path });
  launch('kube-router', join(bin.kubeRouter, 'kube-router'), [
    '--kubeconfig', ctx.kubeconfig, '--hostname-override', NODE_NAME, '--run-firewall=true', '--run-router=false', '--run-service-proxy=false',
    '--enable-cni=false', '--service-cluster-ip-range', SERVICE_CIDR, '--health-port', '20244', '--metrics-port', '0', '--v', '1',
  ], { PATH: path });
  const applied = kubectl(['apply', '-f', '-'], [dnsManifests(kubeconfigFor(ctx.server, ctx.corednsToken)), metricsManifests()].join('\n---\n'));
  if (applied.code !== 0) throw new Error(`applying the node's add-ons failed: ${applied.stderr}`);
  launch('metrics-server', join(bin.metricsServer, 'metrics-server'), [
    '--kubeconfig', ctx.kubeconfig, '--authentication-kubeconfig', ctx.kubeconfig, '--authorization-kubeconfig', ctx.kubeconfig,
    '--secure-port', '4443', '--bind-address', NODE_IP, '--cert-dir', join(dir, 'metrics-server'),
    '--kubelet-insecure-tls', '--kubelet-preferred-address-types', 'InternalIP',
    // metrics-server refuses a resolution that is not above the kubelet request timeout.
    '--metric-resolution', '10s', '--kubelet-request-timeout', '5s',
  ]);
  await waitFor('CoreDNS Ready', 90_000, async () => {
    const r = kubectl(['get', 'deployment', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.status.availableReplicas}']);
    return r.code === 0 && r.stdout.trim() === '1';
  });
  await waitFor('the metrics API', 120_000, async () => kubectl(['get', '--raw', `/apis/metrics.k8s.io/v1beta1/nodes/${NODE_NAME}`]).code === 0);
}

/** The script that snapshots and restores the host (lib/cluster/host-state.js). */
export const hostStateScript = HOST_STATE;
