import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterHandle } from '../../lib/cluster/test-main';
import { type ApiEndpoint, endpointOf, type ServerVerdict, serverDryRun } from '../../lib/cluster/dry-run';
import { ensureHelm, type HelmMajor } from '../../lib/tools/helm-binaries';
import { ROOT, synthCli, tempDir } from '../cli/support';

/** The cluster that `npm run test:cluster` started (lib/cluster/test-main.ts). */
export function cluster(): ClusterHandle {
  const file = process.env.TODO_STACK_CLUSTER;
  if (!file) throw new Error('no cluster: run the cluster tests with npm run test:cluster');
  return JSON.parse(readFileSync(file, 'utf8')) as ClusterHandle;
}

export function endpoint(): ApiEndpoint {
  return endpointOf(cluster().kubeconfig);
}

export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(file: string, args: readonly string[], input?: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 300_000): Result {
  const r = spawnSync(file, [...args], {
    cwd: ROOT, input, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, KUBECONFIG: cluster().kubeconfig, ...env },
  });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** kubectl of the same build as the server. */
export function kubectl(args: readonly string[], input?: string): Result {
  return run(cluster().kubectl, args, input);
}

/** kubectl that must succeed: returns stdout, or throws with stderr. */
export function kubectlOk(args: readonly string[], input?: string): string {
  const r = kubectl(args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** The real Helm of that major version, against the test cluster, with its own config folders. */
export function helm(major: HelmMajor, args: readonly string[]): Result {
  const home = join(tmpdir(), `helm-${major}`);
  return run(ensureHelm(major), args, undefined, { HELM_CACHE_HOME: `${home}/cache`, HELM_CONFIG_HOME: `${home}/config`, HELM_DATA_HOME: `${home}/data` });
}

export function helmOk(major: HelmMajor, args: readonly string[]): string {
  const r = helm(major, args);
  if (r.code !== 0) throw new Error(`helm ${major} ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

let counter = 0;
/** A fresh namespace name (not created). */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid % 10000}-${counter}`;
}

/** Creates a fresh namespace without labels, as `kubectl create namespace` or Helm's --create-namespace make it. */
export function plainNamespace(prefix: string): string {
  const name = uniqueName(prefix);
  kubectlOk(['create', 'namespace', name]);
  return name;
}

/** Creates a namespace that enforces Pod Security Standards "restricted", like dist/'s. */
export function restrictedNamespace(prefix: string): string {
  const name = plainNamespace(prefix);
  kubectlOk(['label', 'namespace', name, 'pod-security.kubernetes.io/enforce=restricted', 'pod-security.kubernetes.io/enforce-version=latest']);
  return name;
}

/** Objects of a JSON list printed by `kubectl get -o json`. */
export function items(json: string): Array<Record<string, any>> {
  return (JSON.parse(json) as { items: Array<Record<string, any>> }).items;
}

/** Polls until `check` returns true (or a value), failing after `timeoutMs` with `what`. */
export async function eventually<T>(what: string, check: () => T | false | undefined, timeoutMs = 120_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = check();
      if (v !== false && v !== undefined) return v as T;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** The Secret the stack's pods read (SPEC S0), with placeholder values, in a namespace. */
export function createTodoSecret(namespace: string): void {
  kubectlOk(['create', 'secret', 'generic', 'todo-secrets', '-n', namespace, '--from-literal=DATABASE_URL=postgres://db', '--from-literal=OPENAI_API_KEY=k', '--from-literal=BETTER_AUTH_SECRET=s']);
}

/** Waits until every HPA of a namespace has brought its Deployment to at least its minimum. */
export async function hpasAtMinimum(namespace: string): Promise<void> {
  for (const hpa of items(kubectlOk(['get', 'hpa', '-n', namespace, '-o', 'json']))) {
    await eventually(`${hpa.metadata.name} at its minimum`, () => {
      const d = JSON.parse(kubectlOk(['get', 'deployment', hpa.spec.scaleTargetRef.name, '-n', namespace, '-o', 'json']));
      return d.status.readyReplicas >= hpa.spec.minReplicas && d.status.replicas === d.spec.replicas;
    });
  }
}

/**
 * Waits for a release's three Deployments to roll out, at their HPA's minimum where they have
 * one. (Helm's own --wait would also wait for an external IP on LoadBalancer Services, which no
 * cloud assigns here.)
 */
export async function rolledOut(namespace: string, prefix = 'todo'): Promise<void> {
  await hpasAtMinimum(namespace);
  for (const name of ['frontend', 'backend', 'mcp']) kubectlOk(['rollout', 'status', `deployment/${prefix}-${name}`, '-n', namespace, '--timeout=180s']);
}

/** Synthesizes one environment for a namespace of its own (`--set namespace=`); returns its dist folder. */
export async function synthesize(env: string, namespace: string, extra: readonly string[] = []): Promise<string> {
  const root = tempDir();
  const r = await synthCli(['--env', env, '--set', `namespace=${namespace}`, ...extra, '--root', root, '--quiet']);
  if (r.code !== 0) throw new Error(`synth failed: ${r.stderr}`);
  return join(root, 'dist', env);
}

/**
 * The API server's verdict on each object (server-side dry run, strict), in a namespace made for
 * the call and deleted after it: the differential tests of the validator.
 */
export async function dryRunEach(label: string, objects: ReadonlyArray<Record<string, any>>): Promise<ServerVerdict[]> {
  const namespace = uniqueName(label);
  kubectlOk(['create', 'namespace', namespace]);
  try {
    return await serverDryRun(endpoint(), objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace } })), namespace);
  } finally {
    kubectl(['delete', 'namespace', namespace, '--wait=false']);
  }
}
