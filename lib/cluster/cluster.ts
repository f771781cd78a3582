import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../tools/processes';
import { repoRoot } from '../tools/repo-root';
import { type ClusterBinaries, ensureClusterBinaries } from './build';
import type { ImageSource } from './images';
import { apiServerNodeFlags, hostStateScript, NODE_IP, type NodePrep, prepareNode, SERVICE_CIDR, startNode } from './node';

/**
 * A real Kubernetes control plane on loopback, for the cluster tests (SPEC S10).
 * - tier `api`: etcd and kube-apiserver (token auth, RBAC, the default admission plugins,
 *   Pod Security Admission included), on free ports, in a temporary folder;
 * - tier `full`: adds kube-controller-manager, kube-scheduler and kwok, with fake nodes in three
 *   zones (`topology.kubernetes.io/zone`), so Deployments get ReplicaSets and pods that become
 *   Ready. No container runs: kwok simulates the kubelet.
 * - tier `node`: the control plane and one real node (lib/cluster/node.ts): a kubelet with
 *   containerd, runc and CNI, kube-proxy, kube-router for NetworkPolicies, CoreDNS and
 *   metrics-server. Pods run real processes; only one node tier runs per machine.
 * Every component runs in a process group of its own, watched by lib/cluster/watchdog.js, which
 * tears everything down if the process that started the cluster dies; stop() does it otherwise.
 */

export type Tier = 'api' | 'full' | 'node';
export const TIERS: readonly Tier[] = ['api', 'full', 'node'];

/** Zones of the fake nodes, and nodes per zone (two, so a drained node's zone keeps one). */
export const ZONES = ['zone-a', 'zone-b', 'zone-c'] as const;
export const NODES_PER_ZONE = 2;

export interface ClusterOptions {
  readonly tier: Tier;
  /** Progress lines (the build, each component). @default none */
  readonly log?: (line: string) => void;
  /** Images to import into the real node's containerd (tier node). @default none */
  readonly images?: readonly ImageSource[];
}

/** What `kubectl` printed, and how it ended. */
export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Cluster {
  readonly tier: Tier;
  /** The cluster's temporary folder: kubeconfig, logs, data. Removed by stop(). */
  readonly dir: string;
  readonly kubeconfig: string;
  /** `https://127.0.0.1:<port>`, or the node's address on tier node */
  readonly server: string;
  readonly binaries: ClusterBinaries;
  /** Milliseconds from start to ready (binaries already built). */
  readonly startMs: number;
  /** Runs the kubectl of the same build against this cluster. */
  kubectl(args: readonly string[], options?: { input?: string; timeoutMs?: number }): KubectlResult;
  /** Stops every component and removes the folder. Idempotent. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** GET over HTTP(S) on loopback; resolves with the status and body, or undefined if it could not connect. */
function get(url: string, token?: string): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { rejectUnauthorized: false, headers: token ? { Authorization: `Bearer ${token}` } : {}, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** The kubeconfig of a token user against a server whose self-signed certificate is not checked. */
function kubeconfigYaml(server: string, token: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: todo-stack-test
  cluster:
    server: ${server}
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: ${token}
contexts:
- name: todo-stack-test
  context:
    cluster: todo-stack-test
    user: admin
current-context: todo-stack-test
`;
}

/** A fake node kwok manages: allocatable resources, its zone, the kwok annotation. */
function nodeYaml(name: string, zone: string): string {
  return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  annotations:
    node.alpha.kubernetes.io/ttl: "0"
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: ${name}
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
    topology.kubernetes.io/zone: ${zone}
    topology.kubernetes.io/region: region-1
status:
  allocatable: {cpu: "8", memory: 16Gi, pods: "110", ephemeral-storage: 100Gi}
  capacity: {cpu: "8", memory: 16Gi, pods: "110", ephemeral-storage: 100Gi}
`;
}

/** Starts a cluster of the tier; the binaries are built first if the cache has none. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? (() => undefined);
  const bin = ensureClusterBinaries(log);
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'todo-stack-cluster-'));
  const children: Array<{ name: string; child: ChildProcess }> = [];
  let stopped = false;

  const launch = (name: string, file: string, args: readonly string[], env?: NodeJS.ProcessEnv) => {
    const out = openSync(join(dir, `${name}.log`), 'a');
    const child = spawn(file, [...args], { detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...env } });
    appendFileSync(join(dir, 'pids'), `${child.pid}\n`);
    child.on('exit', (code, signal) => {
      if (!stopped) log(`cluster: ${name} exited (${signal ?? code}); see ${join(dir, `${name}.log`)}`);
    });
    children.push({ name, child });
    return child;
  };

  // Found through the repository, not __dirname: the launcher runs this file bundled in .build/.
  const watchdog = spawn(process.execPath, [join(repoRoot(), 'lib', 'cluster', 'watchdog.js'), String(process.pid), dir], { detached: true, stdio: 'ignore' });
  watchdog.unref();

  const running = () => children.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  const signal = (sig: NodeJS.Signals) => {
    for (const { child } of running()) {
      try {
        process.kill(-(child.pid as number), sig);
      } catch {
        // gone already
      }
    }
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // A throw-away cluster needs no graceful shutdown: a moment for SIGTERM, then SIGKILL, and
    // wait until every process has exited before the folder goes.
    signal('SIGTERM');
    for (let deadline = Date.now() + 3000; running().length && Date.now() < deadline;) await sleep(50);
    signal('SIGKILL');
    for (let deadline = Date.now() + 10_000; running().length && Date.now() < deadline;) await sleep(50);
    // The real node's leftovers (shims, containers, mounts, rules, links, sysctls), while the
    // watchdog still stands by: the same restore it would run.
    if (node) {
      const r = spawnSync(process.execPath, [hostStateScript(), 'restore', node.dir], { encoding: 'utf8' });
      if (r.status !== 0) log(`cluster: the node's teardown left host state behind:\n${r.stderr}`);
    }
    try {
      process.kill(watchdog.pid as number, 'SIGTERM');
    } catch {
      // gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  let node: NodePrep | undefined;

  try {
    if (options.tier === 'node') node = prepareNode(dir, log);
    const [etcdClient, etcdPeer, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const token = randomBytes(24).toString('hex');
    const corednsToken = randomBytes(24).toString('hex');
    const tokens = join(dir, 'tokens.csv');
    writeFileSync(tokens, `${token},admin,admin,system:masters\n${corednsToken},coredns,coredns\n`, { mode: 0o600 });
    const saKey = join(dir, 'service-account.key');
    writeFileSync(saKey, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string, { mode: 0o600 });

    log('cluster: starting etcd');
    launch('etcd', bin.etcd, [
      '--name', 'default', '--data-dir', join(dir, 'etcd'),
      '--listen-client-urls', `http://127.0.0.1:${etcdClient}`, '--advertise-client-urls', `http://127.0.0.1:${etcdClient}`,
      '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster', `default=http://127.0.0.1:${etcdPeer}`, '--unsafe-no-fsync', '--log-level', 'warn',
    ]);
    await waitFor('etcd', 30_000, async () => (await get(`http://127.0.0.1:${etcdClient}/health`))?.body.includes('"health":"true"') ?? false);

    log('cluster: starting kube-apiserver');
    // With a real node the API server listens on the node's address, which its pods reach too.
    const address = node ? NODE_IP : '127.0.0.1';
    const server = `https://${address}:${apiPort}`;
    launch('kube-apiserver', bin.kubeApiserver, [
      '--etcd-servers', `http://127.0.0.1:${etcdClient}`,
      '--bind-address', address, '--advertise-address', address, '--secure-port', String(apiPort),
      '--cert-dir', join(dir, 'certs'), '--service-cluster-ip-range', SERVICE_CIDR,
      '--token-auth-file', tokens, '--authorization-mode', 'RBAC',
      // As on real clusters, so that a privileged pod is refused by Pod Security Admission, not by this flag.
      '--allow-privileged=true',
      '--service-account-issuer', 'https://kubernetes.default.svc.cluster.local',
      '--service-account-key-file', saKey, '--service-account-signing-key-file', saKey,
      ...(node ? apiServerNodeFlags(node) : []),
    ]);
    await waitFor('kube-apiserver /readyz', 90_000, async () => (await get(`${server}/readyz`, token))?.status === 200);
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml(server, token), { mode: 0o600 });

    const kubectl = (args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): KubectlResult => {
      const r = spawnSync(bin.kubectl, [...args], {
        input: opts.input, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000, maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, KUBECONFIG: kubeconfig },
      });
      return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
    };

    if (options.tier !== 'api') {
      const common = ['--kubeconfig', kubeconfig, '--authentication-kubeconfig', kubeconfig, '--authorization-kubeconfig', kubeconfig, '--leader-elect=false', '--secure-port=0'];
      log('cluster: starting kube-controller-manager and kube-scheduler');
      // HPAs sync every second (default 15 s), so a new HPA scales to its minimum quickly.
      launch('kube-controller-manager', bin.kubeControllerManager, [...common, '--service-account-private-key-file', saKey, '--use-service-account-credentials=false', '--controllers', '*', '--horizontal-pod-autoscaler-sync-period=1s']);
      launch('kube-scheduler', bin.kubeScheduler, common);
    }
    if (node) {
      await startNode({
        prep: node, control: bin, kubeconfig, server, corednsToken, images: options.images ?? [], launch, waitFor, log,
        kubectl: (args, input) => kubectl(args, { input }),
      });
      await waitFor('the default ServiceAccount', 60_000, async () => kubectl(['get', 'serviceaccount', 'default', '-n', 'default']).code === 0);
    }
    if (options.tier === 'full') {
      log('cluster: starting kwok');
      const stages = readdirSync(bin.stagesDir).map((f) => join(bin.stagesDir, f));
      launch('kwok', bin.kwok, ['--kubeconfig', kubeconfig, '--manage-nodes-with-annotation-selector', 'kwok.x-k8s.io/node=fake', '--cidr', '10.244.0.0/16', '--node-ip', '10.0.0.1', ...stages.flatMap((s) => ['--config', s])]);
      const nodes = ZONES.flatMap((zone) => Array.from({ length: NODES_PER_ZONE }, (_, i) => nodeYaml(`node-${zone.slice(-1)}${i + 1}`, zone)));
      const created = kubectl(['apply', '-f', '-'], { input: nodes.join('---\n') });
      if (created.code !== 0) throw new Error(`creating the fake nodes failed: ${created.stderr}`);
      await waitFor('fake nodes Ready', 60_000, async () => {
        const r = kubectl(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
        return r.code === 0 && r.stdout.trim().split('\n').filter((s) => s === 'True').length === nodes.length;
      });
      await waitFor('the default ServiceAccount', 60_000, async () => kubectl(['get', 'serviceaccount', 'default', '-n', 'default']).code === 0);
    }
    const startMs = Date.now() - started;
    log(`cluster: ${options.tier} tier ready in ${(startMs / 1000).toFixed(1)} s (Kubernetes ${bin.versions.kubernetes})`);
    return { tier: options.tier, dir, kubeconfig, server, binaries: bin, startMs, kubectl, stop };
  } catch (e) {
    const logs = readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => `--- ${f}\n${readFileSync(join(dir, f), 'utf8').split('\n').slice(-15).join('\n')}`).join('\n');
    await stop();
    throw new Error(`${(e as Error).message}\n${logs}`);
  }

  async function waitFor(what: string, timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await ready()) return;
      const dead = children.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
      if (dead) throw new Error(`cluster: ${dead.name} exited while waiting for ${what}`);
      await sleep(100);
    }
    throw new Error(`cluster: timed out after ${timeoutMs / 1000} s waiting for ${what}`);
  }
}
