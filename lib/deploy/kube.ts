import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { ensureKubectl } from '../tools/helm-binaries';

/**
 * The cluster as `plan` and `deploy` see it, through kubectl (SPEC S12): the real client decides
 * what the server-side dry run and apply mean, and kubectl's own ApplySet (KEP-3659) prunes, so
 * `deploy` and a plain `kubectl apply --prune --applyset=...` manage the same set the same way.
 */

/** The ApplySet parent of a deployed environment: one per namespace, as kubectl makes it. */
export const APPLYSET_PARENT = { resource: 'configmaps', kind: 'ConfigMap', group: '', name: 'todo-stack-applyset' } as const;
/** The field manager of every object deploy applies. */
export const FIELD_MANAGER = 'todo-stack';
/** ApplySet label keys (KEP-3659). */
export const PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
export const GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';

/** The ApplySet id of the parent in a namespace: base64url(sha256(name.namespace.Kind.group)), as kubectl computes it. */
export function applySetId(namespace: string): string {
  const hash = createHash('sha256').update([APPLYSET_PARENT.name, namespace, APPLYSET_PARENT.kind, APPLYSET_PARENT.group].join('.')).digest('base64url');
  return `applyset-${hash}-v1`;
}

/** The `--applyset` argument of kubectl for the parent. */
export const applySetArg = () => `${APPLYSET_PARENT.resource}/${APPLYSET_PARENT.name}`;

/** The exit code of a kubectl run that Ctrl-C (SIGINT) or SIGTERM stopped. */
export const INTERRUPTED = 130;

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How to reach the cluster: which kubectl, and its context (KUBECONFIG comes from the environment). */
export interface KubeOptions {
  readonly kubectl?: string;
  readonly context?: string;
}

export class Kube {
  public readonly binary: string;

  public constructor(private readonly options: KubeOptions = {}) {
    this.binary = options.kubectl ?? process.env.KUBECTL ?? ensureKubectl();
  }

  private args(args: readonly string[]): string[] {
    return [...(this.options.context ? ['--context', this.options.context] : []), ...args];
  }

  /** Runs kubectl and waits; ApplySet support (alpha in kubectl) is switched on. */
  public run(args: readonly string[], input?: string): KubectlResult {
    const r = spawnSync(this.binary, this.args(args), {
      input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, KUBECTL_APPLYSET: 'true' },
    });
    return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr || (r.error ? String(r.error) : '') };
  }

  /** Runs kubectl and streams its output lines to `line`; resolves with the exit code. Ctrl-C stops it. */
  public stream(args: readonly string[], line: (text: string) => void): Promise<number> {
    return new Promise((resolve) => {
      const child = spawn(this.binary, this.args(args), { env: { ...process.env, KUBECTL_APPLYSET: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let buffered = '';
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const l of lines) if (l.trim()) line(l);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('error', (e) => {
        line(String(e));
        resolve(1);
      });
      // Ctrl-C stops kubectl too (a terminal sends it to both; a parent process may send it to us alone).
      let interrupted = false;
      const interrupt = () => {
        interrupted = true;
        child.kill('SIGINT');
      };
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      child.on('close', (code, signal) => {
        process.removeListener('SIGINT', interrupt);
        process.removeListener('SIGTERM', interrupt);
        if (buffered.trim()) line(buffered);
        resolve(interrupted ? INTERRUPTED : (code ?? (signal ? INTERRUPTED : 1)));
      });
    });
  }

  /** JSON of a kubectl command that must succeed. */
  public json(args: readonly string[], input?: string): any {
    const r = this.run([...args, '-o', 'json'], input);
    if (r.code !== 0) throw new KubeError(`kubectl ${args.join(' ')}: ${r.stderr.trim()}`);
    return JSON.parse(r.stdout);
  }

  /** One object, with its managed fields, or undefined when it does not exist. */
  public get(kind: string, name: string, namespace?: string): any {
    const r = this.run(['get', kind, name, ...(namespace ? ['-n', namespace] : []), '-o', 'json', '--show-managed-fields']);
    if (r.code === 0) return JSON.parse(r.stdout);
    if (/NotFound|not found/.test(r.stderr)) return undefined;
    throw new KubeError(`kubectl get ${kind} ${name}: ${r.stderr.trim()}`);
  }

  /** The server's Kubernetes version (`1.36`). */
  public serverVersion(): { major: number; minor: number; gitVersion: string } {
    const v = this.json(['version']).serverVersion;
    if (!v) throw new KubeError('kubectl version: no server version (is KUBECONFIG or --context right?)');
    return { major: Number(v.major), minor: Number(String(v.minor).replace(/\D.*$/, '')), gitVersion: v.gitVersion };
  }
}

/** A problem talking to the cluster: one line. */
export class KubeError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'KubeError';
  }
}
