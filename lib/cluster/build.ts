import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../tools/repo-root';

/**
 * The control plane of the cluster tests (SPEC S10), built from Go modules pinned by the wrapper
 * modules in lib/cluster/go/ (their go.mod and go.sum are committed; no binary is):
 * - kubernetes: kube-apiserver, kube-controller-manager, kube-scheduler and kubectl from
 *   k8s.io/kubernetes, with each staging module replaced by its published v0 version;
 * - etcd: go.etcd.io/etcd/server/v3, its sibling modules pinned the same way;
 * - kwok: sigs.k8s.io/kwok, for simulated nodes, and its stage files (how fake nodes and pods
 *   change state), copied from the module beside the binaries.
 * The binaries are cached outside the repository, keyed by the hash of those go.mod/go.sum
 * files and of this build's flags: `$TODO_STACK_CLUSTER_CACHE`, or `$XDG_CACHE_HOME/todo-stack`,
 * or `~/.cache/todo-stack`. A cold build prints its progress.
 */

/** The pinned components, as the harness and the closing notes report them. */
export interface ClusterVersions {
  readonly kubernetes: string;
  readonly etcd: string;
  readonly kwok: string;
}

/** Where the binaries of the pinned versions are. */
export interface ClusterBinaries {
  readonly dir: string;
  readonly versions: ClusterVersions;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubeScheduler: string;
  readonly kubectl: string;
  readonly etcd: string;
  readonly kwok: string;
  /** kwok Stage documents (YAML files) for nodes and pods. */
  readonly stagesDir: string;
}

const MODULES = ['kubernetes', 'etcd', 'kwok'] as const;
/** Bumped when the build's flags or layout change, so an old cache is not reused. */
const BUILD_FORMAT = '1';

/** A problem building the control plane: one line, naming the module and the cause. */
export class ClusterBuildError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ClusterBuildError';
  }
}

function moduleDir(name: (typeof MODULES)[number]): string {
  return join(repoRoot(), 'lib', 'cluster', 'go', name);
}

/** The version a wrapper module requires of a module. */
function required(name: (typeof MODULES)[number], module: string): string {
  const text = readFileSync(join(moduleDir(name), 'go.mod'), 'utf8');
  const m = new RegExp(`^(?:require\\s+|\\t)${module.replace(/[.]/g, '\\.')} (v[^\\s]+)`, 'm').exec(text);
  if (!m) throw new ClusterBuildError(`lib/cluster/go/${name}/go.mod does not require ${module}`);
  return m[1];
}

/** The versions pinned by the committed wrapper modules. */
export function pinnedVersions(): ClusterVersions {
  return {
    kubernetes: required('kubernetes', 'k8s.io/kubernetes'),
    etcd: required('etcd', 'go.etcd.io/etcd/server/v3'),
    kwok: required('kwok', 'sigs.k8s.io/kwok'),
  };
}

/** The cache folder of the pinned build: its name is the hash of everything that pins it. */
export function binariesDir(): string {
  const hash = createHash('sha256').update(BUILD_FORMAT);
  for (const name of MODULES) {
    for (const file of ['go.mod', 'go.sum']) hash.update(`${name}/${file}\0`).update(readFileSync(join(moduleDir(name), file)));
  }
  const base = process.env.TODO_STACK_CLUSTER_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'todo-stack');
  return join(base, 'cluster', hash.digest('hex').slice(0, 16));
}

function binaries(dir: string, versions: ClusterVersions): ClusterBinaries {
  return {
    dir,
    versions,
    kubeApiserver: join(dir, 'kube-apiserver'),
    kubeControllerManager: join(dir, 'kube-controller-manager'),
    kubeScheduler: join(dir, 'kube-scheduler'),
    kubectl: join(dir, 'kubectl'),
    etcd: join(dir, 'etcd'),
    kwok: join(dir, 'kwok'),
    stagesDir: join(dir, 'kwok-stages'),
  };
}

function go(args: readonly string[], cwd: string, what: string): string {
  const r = spawnSync('go', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=readonly', CGO_ENABLED: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new ClusterBuildError(`cannot run go (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}): the cluster tests build the control plane with Go 1.26 and the Go module proxy`);
  if (r.status !== 0) {
    const detail = r.stderr.trim().split('\n').slice(-5).join('\n  ');
    throw new ClusterBuildError(`${what} failed in lib/cluster/go/${cwd.split('/').pop()} (go ${args.join(' ')}):\n  ${detail}`);
  }
  return r.stdout;
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
  mkdirSync(target, { recursive: true });
  const stages = join(kwokModule, 'kustomize', 'stage');
  const files = [
    ['node', 'fast', 'node-initialize.yaml'],
    ['node', 'heartbeat', 'node-heartbeat.yaml'],
    ['pod', 'fast', 'pod-ready.yaml'],
    ['pod', 'fast', 'pod-complete.yaml'],
    ['pod', 'fast', 'pod-delete.yaml'],
  ];
  for (const parts of files) copyFileSync(join(stages, ...parts), join(target, parts[parts.length - 1]));
  // helm test pods are bare pods that run once (restartPolicy Never, no owner). No container runs
  // under kwok, so this stage declares them Succeeded once Running: their success is simulated.
  const podComplete = readFileSync(join(stages, 'pod', 'fast', 'pod-complete.yaml'), 'utf8');
  const bare = podComplete
    .replace('name: pod-complete', 'name: pod-complete-run-once')
    .replace(/ {4}- key: '\.metadata\.ownerReferences\.\[\]\.kind'\n {6}operator: 'In'\n {6}values:\n {6}- 'Job'\n/, "    - key: '.metadata.ownerReferences'\n      operator: 'DoesNotExist'\n    - key: '.spec.restartPolicy'\n      operator: 'In'\n      values:\n      - 'Never'\n");
  if (bare === podComplete || !bare.includes("'.spec.restartPolicy'")) throw new ClusterBuildError(`kwok ${kwokModule}: pod-complete.yaml changed shape; update lib/cluster/build.ts`);
  writeFileSync(join(target, 'pod-complete-run-once.yaml'), bare);
}

/**
 * The binaries of the pinned versions: from the cache, or built now (minutes, cold) into a
 * temporary folder beside the cache entry, then renamed into place, so a killed build leaves no
 * half entry. `log` gets the progress lines.
 */
export function ensureClusterBinaries(log: (line: string) => void = () => undefined): ClusterBinaries {
  const versions = pinnedVersions();
  const dir = binariesDir();
  const done = join(dir, '.complete');
  if (existsSync(done)) return binaries(dir, versions);
  const staging = `${dir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const started = Date.now();
  const step = (what: string) => log(`cluster build: ${what} (${Math.round((Date.now() - started) / 1000)} s so far)`);
  try {
    step(`Kubernetes ${versions.kubernetes}: kube-apiserver, kube-controller-manager, kube-scheduler, kubectl (the cold build takes several minutes)`);
    go(['build', '-trimpath', '-o', `${staging}/`, '-ldflags', kubernetesLdflags(versions.kubernetes),
      'k8s.io/kubernetes/cmd/kube-apiserver', 'k8s.io/kubernetes/cmd/kube-controller-manager', 'k8s.io/kubernetes/cmd/kube-scheduler', 'k8s.io/kubernetes/cmd/kubectl'],
    moduleDir('kubernetes'), `building Kubernetes ${versions.kubernetes}`);
    step(`etcd ${versions.etcd}`);
    go(['build', '-trimpath', '-o', join(staging, 'etcd'), '-ldflags', '-s -w', 'go.etcd.io/etcd/server/v3'], moduleDir('etcd'), `building etcd ${versions.etcd}`);
    step(`kwok ${versions.kwok}`);
    go(['build', '-trimpath', '-o', join(staging, 'kwok'), '-ldflags', '-s -w', 'sigs.k8s.io/kwok/cmd/kwok'], moduleDir('kwok'), `building kwok ${versions.kwok}`);
    copyStages(go(['list', '-m', '-f', '{{.Dir}}', 'sigs.k8s.io/kwok'], moduleDir('kwok'), 'locating the kwok module').trim(), join(staging, 'kwok-stages'));
    writeFileSync(join(staging, 'versions.json'), `${JSON.stringify(versions, null, 2)}\n`);
    writeFileSync(join(staging, '.complete'), '');
    mkdirSync(join(dir, '..'), { recursive: true });
    if (existsSync(done)) rmSync(staging, { recursive: true, force: true }); // another build won
    else {
      rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    }
    step(`done: ${readdirSync(dir).length} files in ${dir}`);
    return binaries(dir, versions);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
