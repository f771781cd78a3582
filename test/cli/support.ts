import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Added to this process's environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** Written to standard input. */
  readonly input?: string;
  /** @default the repository root */
  readonly cwd?: string;
  /** Sends SIGINT (as Ctrl-C does) this many milliseconds after the start. @default never */
  readonly signalAfterMs?: number;
}

/** Runs a program as a real child process; resolves (never rejects) with its exit code and output. */
export function runProcess(file: string, args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(file, [...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...options.env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    if (options.signalAfterMs !== undefined) setTimeout(() => child.kill('SIGINT'), options.signalAfterMs);
  });
}

/** Runs a TypeScript entry point of this repository as a real child process (as npm run does). */
export function runEntry(entry: string, args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, [join(ROOT, 'lib/tools/run.js'), entry, ...args], options);
}

/** `npm run synth -- ...` */
export const synthCli = (args: readonly string[], env?: NodeJS.ProcessEnv) => runEntry('main.ts', args, { env });

/** A fresh temporary folder. */
export function tempDir(prefix = 'todo-stack-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** SHA-256 of every file under a folder, by relative path: a byte-for-byte fingerprint. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/**
 * A copy of the repository's source (the files git tracks or would track) in a temporary folder,
 * with node_modules linked, to edit and run without touching the repository itself.
 */
export function repoCopy(): string {
  const dir = tempDir('todo-stack-repo-');
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  // The launcher's bundles are keyed by the content of their inputs (relative paths), so the
  // copy reuses them until a test edits a source; building them again would only cost time.
  if (existsSync(join(ROOT, '.build'))) cpSync(join(ROOT, '.build'), join(dir, '.build'), { recursive: true });
  return dir;
}

/** A copy of the committed output (dist/<env>/ and helm-wrapper/, no dist/charts), to run synth against. */
export function committedCopy(): string {
  const root = tempDir();
  for (const env of ['local', 'dev', 'production']) cpSync(join(ROOT, 'dist', env), join(root, 'dist', env), { recursive: true });
  cpSync(join(ROOT, 'helm-wrapper'), join(root, 'helm-wrapper'), { recursive: true });
  return root;
}
