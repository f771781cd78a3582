import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from '../tools/repo-root';

/**
 * The binaries of the cluster tests (SPEC S10), built from Go modules whose go.mod and go.sum are
 * committed (no binary is). Each module is built on its own and cached outside the repository,
 * keyed by the hash of its go.mod/go.sum (and, for the project's own Go source, every .go file)
 * and of the build's flags: `$TODO_STACK_CLUSTER_CACHE`, or `$XDG_CACHE_HOME/todo-stack`, or
 * `~/.cache/todo-stack`, then `cluster/<module>-<hash>`. A cold build prints its progress.
 *
 * The control plane (tiers api and full) needs `kubernetes`, `etcd` and `kwok`; the real-node
 * tier adds the node's runtime and add-ons (see NODE_MODULES) and the stand-in images' source.
 */

/** The pinned components, as the harness and the closing notes report them. */
export interface ClusterVersions {
  readonly kubernetes: string;
  readonly etcd: string;
  readonly kwok: string;
}

/** Where the control plane's binaries of the pinned versions are. */
export interface ClusterBinaries {
  readonly versions: ClusterVersions;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubeScheduler: string;
  readonly kubectl: string;
  readonly kubelet: string;
  readonly kubeProxy: string;
  readonly etcd: string;
  readonly kwok: string;
  /** kwok Stage documents (YAML files) for nodes and pods. */
  readonly stagesDir: string;
}

/** A Go module of the build: a folder with go.mod and go.sum, and what to build in it. */
export interface GoBuild {
  /** The folder, relative to the repository. */
  readonly dir: string;
  /** Packages to build; each binary is named after its package's last element unless `out` says. */
  readonly packages: ReadonlyArray<string | { readonly pkg: string; readonly out: string }>;
  readonly tags?: readonly string[];
  readonly ldflags?: string;
  /** The project's own source (not only pinned modules): every .go file is part of the key. */
  readonly ownSource?: boolean;
  /** Extra files to place beside the binaries, from the module's resolved dependencies. */
  readonly extra?: (moduleDir: string, target: string) => void;
}

/** Bumped when the build's flags or layout change, so an old cache is not reused. */
const BUILD_FORMAT = '2';

/** A problem building the cluster's binaries: one line, naming the module and the cause. */
export class ClusterBuildError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ClusterBuildError';
  }
}

const goDir = (name: string) => join('lib', 'cluster', 'go', name);

/** The version a wrapper module requires of a module. */
function required(dir: string, module: string): string {
  const text = readFileSync(join(repoRoot(), dir, 'go.mod'), 'utf8');
  const m = new RegExp(`^(?:require\\s+|\\t)${module.replace(/[.]/g, '\\.')} (v[^\\s]+)`, 'm').exec(text);
  if (!m) throw new ClusterBuildError(`${dir}/go.mod does not require ${module}`);
  return m[1];
}

/** The versions pinned by the committed wrapper modules. */
export function pinnedVersions(): ClusterVersions {
  return {
    kubernetes: required(goDir('kubernetes'), 'k8s.io/kubernetes'),
    etcd: required(goDir('etcd'), 'go.etcd.io/etcd/server/v3'),
    kwok: required(goDir('kwok'), 'sigs.k8s.io/kwok'),
  };
}

/** `-X` flags that stamp the real versions, so the server reports them (Helm's kubeVersion checks). */
function kubernetesLdflags(version: string): string {
  const [major, minor] = version.replace(/^v/, '').split('.');
  const pkgs = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'];
  const vars = { gitVersion: version, gitMajor: major, gitMinor: minor, gitTreeState: 'clean', buildDate: '1970-01-01T00:00:00Z' };
  return ['-s', '-w', ...pkgs.flatMap((p) => Object.entries(vars).map(([k, v]) => `-X ${p}.${k}=${v}`))].join(' ');
}

/** The kwok stages: node initialize and heartbeat, pod ready, complete and delete (kwok's own), and one of ours. */
function copyStages(kwokModule: string, target: string): void {
  const dir = join(target, 'kwok-stages');
  mkdirSync(dir, { recursive: true });
  const stages = join(kwokModule, 'kustomize', 'stage');
  const files = [
    ['node', 'fast', 'node-initialize.yaml'],
    ['node', 'heartbeat', 'node-heartbeat.yaml'],
    ['pod', 'fast', 'pod-ready.yaml'],
    ['pod', 'fast', 'pod-complete.yaml'],
    ['pod', 'fast', 'pod-delete.yaml'],
  ];
  for (const parts of files) copyFileSync(join(stages, ...parts), join(dir, parts[parts.length - 1]));
  // helm test pods are bare pods that run once (restartPolicy Never, no owner). No container runs
  // under kwok, so this stage declares them Succeeded once Running: their success is simulated.
  const podComplete = readFileSync(join(stages, 'pod', 'fast', 'pod-complete.yaml'), 'utf8');
  const bare = podComplete
    .replace('name: pod-complete', 'name: pod-complete-run-once')
    .replace(/ {4}- key: '\.metadata\.ownerReferences\.\[\]\.kind'\n {6}operator: 'In'\n {6}values:\n {6}- 'Job'\n/, "    - key: '.metadata.ownerReferences'\n      operator: 'DoesNotExist'\n    - key: '.spec.restartPolicy'\n      operator: 'In'\n      values:\n      - 'Never'\n");
  if (bare === podComplete || !bare.includes("'.spec.restartPolicy'")) throw new ClusterBuildError(`kwok ${kwokModule}: pod-complete.yaml changed shape; update lib/cluster/build.ts`);
  writeFileSync(join(dir, 'pod-complete-run-once.yaml'), bare);
}

const K8S = 'k8s.io/kubernetes/cmd';

/** The control plane's modules. */
const CONTROL_PLANE = {
  kubernetes: {
    dir: goDir('kubernetes'),
    packages: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kubelet', 'kube-proxy'].map((c) => `${K8S}/${c}`),
    ldflags: kubernetesLdflags(pinnedVersions().kubernetes),
  },
  etcd: { dir: goDir('etcd'), packages: [{ pkg: 'go.etcd.io/etcd/server/v3', out: 'etcd' }] },
  kwok: { dir: goDir('kwok'), packages: ['sigs.k8s.io/kwok/cmd/kwok'], extra: copyStages },
} satisfies Record<string, GoBuild>;

/** The real node's runtime and add-ons, and the project's own node tools (lib/cluster/node.ts). */
export const NODE_MODULES = {
  containerd: {
    dir: goDir('containerd'),
    packages: ['containerd', 'containerd-shim-runc-v2', 'ctr'].map((c) => `github.com/containerd/containerd/v2/cmd/${c}`),
    tags: ['no_btrfs', 'no_devmapper', 'no_zfs'],
  },
  coredns: { dir: goDir('coredns'), packages: [{ pkg: 'github.com/coredns/coredns', out: 'coredns' }] },
  kubeRouter: { dir: goDir('kube-router'), packages: ['github.com/cloudnativelabs/kube-router/v2/cmd/kube-router'] },
  metricsServer: { dir: goDir('metrics-server'), packages: ['sigs.k8s.io/metrics-server/cmd/metrics-server'] },
  nodetools: { dir: goDir('nodetools'), packages: ['./cmd/pause', './cmd/imagepack', './cmd/certs'], ownSource: true },
} satisfies Record<string, GoBuild>;

/** Every .go file under a folder, sorted, for the cache key of the project's own source. */
function goFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...goFiles(path));
    else if (entry.endsWith('.go')) out.push(path);
  }
  return out;
}

function cacheBase(): string {
  return process.env.TODO_STACK_CLUSTER_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'todo-stack');
}

/** The cache folder of one module's build: its name is the hash of everything that pins it. */
export function moduleCacheDir(build: GoBuild): string {
  const root = repoRoot();
  const hash = createHash('sha256').update(BUILD_FORMAT).update(JSON.stringify({ ...build, extra: build.extra?.name }));
  const files = ['go.mod', 'go.sum'].map((f) => join(root, build.dir, f));
  if (build.ownSource) files.push(...goFiles(join(root, build.dir)));
  for (const file of files) hash.update(`${relative(root, file)}\0`).update(readFileSync(file));
  const name = build.dir.split('/').pop() as string;
  return join(cacheBase(), 'cluster', `${name}-${hash.digest('hex').slice(0, 16)}`);
}

/** The cache folder of the control plane's kubernetes build (where kubectl is). */
export function binariesDir(): string {
  return moduleCacheDir(CONTROL_PLANE.kubernetes);
}

function go(args: readonly string[], cwd: string, what: string): string {
  const r = spawnSync('go', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=readonly', CGO_ENABLED: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new ClusterBuildError(`cannot run go (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}): the cluster tests build their binaries with Go 1.26 and the Go module proxy`);
  if (r.status !== 0) {
    const detail = r.stderr.trim().split('\n').slice(-5).join('\n  ');
    throw new ClusterBuildError(`${what} failed in ${relative(repoRoot(), cwd)} (go ${args.join(' ')}):\n  ${detail}`);
  }
  return r.stdout;
}

/**
 * One module's binaries: from the cache, or built now into a temporary folder beside the cache
 * entry, then renamed into place, so a killed build leaves no half entry.
 */
export function ensureModuleBuilt(build: GoBuild, log: (line: string) => void = () => undefined): string {
  const dir = moduleCacheDir(build);
  if (existsSync(join(dir, '.complete'))) return dir;
  const cwd = join(repoRoot(), build.dir);
  const staging = `${dir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const started = Date.now();
  log(`cluster build: ${build.dir} (a cold build takes minutes)`);
  try {
    const flags = ['-trimpath', ...(build.tags?.length ? ['-tags', build.tags.join(',')] : []), '-ldflags', build.ldflags ?? '-s -w'];
    const named = build.packages.filter((p): p is { pkg: string; out: string } => typeof p !== 'string');
    const plain = build.packages.filter((p): p is string => typeof p === 'string');
    if (plain.length) go(['build', ...flags, '-o', `${staging}/`, ...plain], cwd, `building ${build.dir}`);
    for (const { pkg, out } of named) go(['build', ...flags, '-o', join(staging, out), pkg], cwd, `building ${build.dir}`);
    build.extra?.(go(['list', '-m', '-f', '{{.Dir}}', ...requiredModule(cwd)], cwd, `locating ${build.dir}'s module`).trim(), staging);
    writeFileSync(join(staging, '.complete'), '');
    mkdirSync(join(dir, '..'), { recursive: true });
    if (existsSync(join(dir, '.complete'))) rmSync(staging, { recursive: true, force: true }); // another build won
    else {
      rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    }
    log(`cluster build: ${build.dir} done in ${Math.round((Date.now() - started) / 1000)} s`);
    return dir;
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

/** The one module a wrapper module requires directly (for `extra`). */
function requiredModule(cwd: string): string[] {
  const m = /^require ([^\s(]+) v/m.exec(readFileSync(join(cwd, 'go.mod'), 'utf8'));
  return m ? [m[1]] : [];
}

/** The control plane's binaries of the pinned versions, built first if the cache has none. */
export function ensureClusterBinaries(log: (line: string) => void = () => undefined): ClusterBinaries {
  const k8s = ensureModuleBuilt(CONTROL_PLANE.kubernetes, log);
  const etcd = ensureModuleBuilt(CONTROL_PLANE.etcd, log);
  const kwok = ensureModuleBuilt(CONTROL_PLANE.kwok, log);
  return {
    versions: pinnedVersions(),
    kubeApiserver: join(k8s, 'kube-apiserver'),
    kubeControllerManager: join(k8s, 'kube-controller-manager'),
    kubeScheduler: join(k8s, 'kube-scheduler'),
    kubectl: join(k8s, 'kubectl'),
    kubelet: join(k8s, 'kubelet'),
    kubeProxy: join(k8s, 'kube-proxy'),
    etcd: join(etcd, 'etcd'),
    kwok: join(kwok, 'kwok'),
    stagesDir: join(kwok, 'kwok-stages'),
  };
}

/** The real node's binaries: one folder per module of NODE_MODULES, built first if the cache has none. */
export function ensureNodeBinaries(log: (line: string) => void = () => undefined): Record<keyof typeof NODE_MODULES, string> {
  const dirs = {} as Record<keyof typeof NODE_MODULES, string>;
  for (const [name, build] of Object.entries(NODE_MODULES)) dirs[name as keyof typeof NODE_MODULES] = ensureModuleBuilt(build, log);
  return dirs;
}
