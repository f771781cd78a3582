import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../support';
import { committedCopy, fingerprint, repoCopy, ROOT, runEntry, runProcess, synthCli, tempDir } from './support';

/**
 * SPEC S6 "Trust": every edit takes effect, cdk8s synth leaves dist/ as npm run synth would, a
 * one-off override never changes the chart, an interrupted run leaves nothing behind, and
 * file-system errors are one line with their own exit code.
 */

/** Everything in a root that is not committed output: leftovers of a run. */
function leftovers(root: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(root)) if (entry !== 'dist' && entry !== 'helm-wrapper') found.push(entry);
  if (existsSync(join(root, 'dist'))) for (const entry of readdirSync(join(root, 'dist'))) if (!['local', 'dev', 'production'].includes(entry)) found.push(`dist/${entry}`);
  return found;
}

const committed = () => fingerprint(committedCopy());

describe('the launcher never runs stale code', () => {
  test('a same-length edit to a source file changes the output of the next synth', async () => {
    const repo = repoCopy();
    const out = tempDir();
    const run = () => runProcess(process.execPath, [join(repo, 'lib/tools/run.js'), 'main.ts', '--env', 'local', '--root', out, '--quiet'], { cwd: repo });
    expect((await run()).code).toBe(0);
    expect((await run()).code).toBe(0); // the bundle and the V8 code cache now exist and are used
    const file = join(repo, 'apps/todo/environments.ts');
    const source = readFileSync(file, 'utf8');
    const edited = source.replace("tag: '1.0.0'", "tag: '1.0.1'");
    expect(edited.length).toBe(source.length);
    expect(edited).not.toBe(source);
    writeFileSync(file, edited);
    const r = await run();
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'dist/local/06-deployment-todo-backend.yaml'), 'utf8')).toContain('image: todo-backend:1.0.1');
  });

  test('a code cache made for another bundle of the same length is not used', async () => {
    const repo = repoCopy();
    const out = tempDir();
    const run = () => runProcess(process.execPath, [join(repo, 'lib/tools/run.js'), 'main.ts', '--env', 'local', '--root', out, '--quiet'], { cwd: repo });
    expect((await run()).code).toBe(0);
    const cache = readFileSync(join(repo, '.build/main.js.cache'));
    const file = join(repo, 'apps/todo/environments.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace("tag: '1.0.0'", "tag: '1.0.2'"));
    expect((await run()).code).toBe(0);
    writeFileSync(join(repo, '.build/main.js.cache'), cache); // the old cache, beside the new bundle
    rmSync(join(out, 'dist'), { recursive: true });
    expect((await run()).code).toBe(0);
    expect(readFileSync(join(out, 'dist/local/06-deployment-todo-backend.yaml'), 'utf8')).toContain('image: todo-backend:1.0.2');
  });
});

test('two entry points with the same file name never share a bundle', async () => {
  const repo = repoCopy();
  const out = tempDir();
  const example = await runProcess(process.execPath, [join(repo, 'lib/tools/run.js'), 'examples/guestbook/main.ts', out], { cwd: repo });
  expect(example.code).toBe(0);
  const synth = await runProcess(process.execPath, [join(repo, 'lib/tools/run.js'), 'main.ts', '--help'], { cwd: repo });
  expect(synth.stdout).toContain('Usage: npm run synth -- [options]');
});

describe('cdk8s synth', () => {
  const cdk8s = (repo: string) => runProcess(process.execPath, [join(repo, 'lib/tools/cdk8s.js'), 'synth'], { cwd: repo });

  test('writes dist/ as npm run synth does and keeps dist/charts/', async () => {
    const repo = repoCopy();
    mkdirSync(join(repo, 'dist/charts'), { recursive: true });
    writeFileSync(join(repo, 'dist/charts/todo-stack-0.1.0.tgz'), 'packaged chart');
    const r = await cdk8s(repo);
    expect(r.code).toBe(0);
    expect(readFileSync(join(repo, 'dist/charts/todo-stack-0.1.0.tgz'), 'utf8')).toBe('packaged chart');
    for (const env of ['local', 'dev', 'production']) expect(fingerprint(join(repo, 'dist', env))).toEqual(fingerprint(join(ROOT, 'dist', env)));
    expect(fingerprint(join(repo, 'helm-wrapper'))).toEqual(fingerprint(join(ROOT, 'helm-wrapper')));
  });

  test('prints no stack trace (its upgrade check is off)', async () => {
    const r = await cdk8s(repoCopy());
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain('Error');
  });

  test('a failing synth leaves dist/ as it was', async () => {
    const repo = repoCopy();
    const file = join(repo, 'apps/todo/environments.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('mcp: { replicas: 1 }', 'mcp: { replicas: 0 }'));
    const before = fingerprint(join(repo, 'dist'));
    const r = await cdk8s(repo);
    expect(r.code).not.toBe(0);
    expect(fingerprint(join(repo, 'dist'))).toEqual(before);
  });
});

describe('a one-off override', () => {
  test('changes the dist/ it synthesizes, never helm-wrapper/', async () => {
    const root = committedCopy();
    const r = await synthCli(['--set', 'backend.replicas=5', '--root', root, '--quiet']);
    expect(r.code).toBe(0);
    expect(fingerprint(join(root, 'helm-wrapper'))).toEqual(fingerprint(join(ROOT, 'helm-wrapper')));
    expect(readFileSync(join(root, 'dist/local/06-deployment-todo-backend.yaml'), 'utf8')).toContain('replicas: 5');
  });

  test('with a values file, helm-wrapper/ still holds the presets', async () => {
    const root = committedCopy();
    const values = join(tempDir(), 'one-off.yaml');
    writeFileSync(values, 'config:\n  logLevel: debug\n');
    expect((await synthCli(['--values', values, '--root', root, '--quiet'])).code).toBe(0);
    expect(fingerprint(join(root, 'helm-wrapper'))).toEqual(fingerprint(join(ROOT, 'helm-wrapper')));
  });
});

/** Starts a synth that has something to write, and signals it after `delayMs`. */
function signalled(root: string, signal: NodeJS.Signals, delayMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'lib/tools/run.js'), 'main.ts', '--root', root, '--quiet', '--set', 'config.logLevel=debug'], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill(signal), delayMs);
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      resolve(code ?? (sig ? -1 : null));
    });
  });
}

describe('interrupted runs', () => {
  let random: () => number = () => 0;
  beforeAll(() => {
    random = seededRandom('interrupted runs');
  });

  /** The output a whole run writes: the same for every interrupted run, so made once. */
  let whole: string | undefined;
  const wholeRun = async () => {
    if (whole === undefined) {
      const fresh = tempDir();
      await synthCli(['--root', fresh, '--quiet', '--set', 'config.logLevel=debug']);
      whole = JSON.stringify(fingerprint(fresh));
    }
    return whole;
  };

  test.each(['SIGINT', 'SIGTERM'] as const)('%s at any moment leaves either the old or the new output, and no temporary folder', async (signal) => {
    const old = JSON.stringify(committed());
    for (let i = 0; i < 6; i++) {
      const root = committedCopy();
      const delay = Math.floor(random() * 900);
      await signalled(root, signal, delay);
      expect({ delay, leftovers: leftovers(root) }).toEqual({ delay, leftovers: [] });
      expect([old, await wholeRun()]).toContain(JSON.stringify(fingerprint(root)));
    }
  });

  test.each(['staged', 'swapping', 'committed'])('a run killed (SIGKILL) when %s is undone or finished by the next run, and --check and validate never see it', async (point) => {
    const root = committedCopy();
    const killed = await synthCli(['--root', root, '--quiet', '--set', 'config.logLevel=debug'], { TODO_STACK_KILL_AT: point });
    expect(killed.code).not.toBe(0);
    const validate = await runEntry('lib/cli/validate-main.ts', [join(root, 'dist')]);
    expect(validate.stdout).not.toMatch(/synth-|staging/);
    const check = await synthCli(['--check', '--root', root, '--set', 'config.logLevel=debug']);
    const expectedCheck = point === 'committed' ? 0 : 1;
    expect(check.code).toBe(expectedCheck);
    expect(leftovers(root)).toEqual([]);
    if (point !== 'committed') expect(fingerprint(root)).toEqual(committed());
  });

  test('two synths at once take turns: both succeed and the output is one of theirs, whole', async () => {
    const root = committedCopy();
    const [a, b] = await Promise.all([
      synthCli(['--root', root, '--quiet', '--set', 'backend.replicas=3']),
      synthCli(['--root', root, '--quiet', '--set', 'backend.replicas=4']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(leftovers(root)).toEqual([]);
    const replicas = ['local', 'dev', 'production'].map((env) => /replicas: (\d)/.exec(readFileSync(join(root, `dist/${env}/06-deployment-todo-backend.yaml`), 'utf8'))?.[1]);
    expect(['3', '4']).toContain(replicas[0]);
    expect(new Set(replicas.filter((r) => r !== undefined)).size).toBe(1);
  });
});

describe('file-system errors: one line, no stack trace, exit 3', () => {
  test('--root that is a file', async () => {
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, '');
    const r = await synthCli(['--root', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^error: cannot mkdir ${file}: exists and is not a folder \\(EEXIST\\)$`, 'm'));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('dist/<env> that is a file leaves the rest as it was', async () => {
    const root = committedCopy();
    rmSync(join(root, 'dist/dev'), { recursive: true });
    writeFileSync(join(root, 'dist/dev'), 'a file');
    const before = fingerprint(root);
    const r = await synthCli(['--root', root, '--set', 'config.logLevel=debug']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${join(root, 'dist/dev')}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fingerprint(root)).toEqual(before);
    expect(leftovers(root)).toEqual([]);
  });

  /** A small tmpfs (root only): a full disk or a read-only file system. */
  function mounted(options: string): string | undefined {
    const dir = tempDir();
    const r = require('node:child_process').spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
    return r.status === 0 ? dir : undefined;
  }
  const umount = (dir: string) => require('node:child_process').spawnSync('umount', [dir]);
  const canMount = (() => {
    const dir = mounted('size=16k');
    if (dir) umount(dir);
    return dir !== undefined;
  })();
  if (!canMount) console.log('file-system errors: mount is not permitted here; the full-disk and read-only cases are skipped');
  const mountTest = canMount ? test : test.skip;

  mountTest('a full disk', async () => {
    const dir = mounted('size=24k') as string;
    try {
      const r = await synthCli(['--root', dir]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^error: cannot write .*: no space left on device \(ENOSPC\)$/m);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      umount(dir);
    }
  });

  mountTest('a read-only file system', async () => {
    const dir = mounted('ro,size=64k') as string;
    try {
      const r = await synthCli(['--root', dir]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^error: cannot mkdir .*: read-only file system \(EROFS\)$/m);
    } finally {
      umount(dir);
    }
  });
});

describe('flags that npm takes for itself', () => {
  test('npm run synth --check (without --) is refused with the right command, and writes nothing', async () => {
    const before = statSync(join(ROOT, 'dist/local')).mtimeMs;
    const r = await runProcess('npm', ['run', '--silent', 'synth', '--check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: npm took --check for itself, so synth never saw it; put flags after "--": npm run synth -- --check');
    expect(statSync(join(ROOT, 'dist/local')).mtimeMs).toBe(before);
  });

  test('npm run synth -- --check is what works', async () => {
    const r = await runProcess('npm', ['run', '--silent', 'synth', '--', '--check']);
    expect(r.code).toBe(0);
  });
});

test('--help and the README document every exit code, 0 to 4', async () => {
  const help = (await synthCli(['--help'])).stdout;
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const text of [help, readme]) {
    expect(text).toMatch(/0 success/);
    expect(text).toMatch(/2 bad usage/);
    expect(text).toMatch(/3 a\s+file-system error/);
    expect(text).toMatch(/4 another synth kept the\s+output locked/);
  }
});
