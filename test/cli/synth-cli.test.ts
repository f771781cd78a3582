import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { distObjects } from '../helm/support';
import { committedCopy, fingerprint, ROOT, synthCli, tempDir } from './support';

/** `local: 18 objects - ConfigMap 3, ...` for an environment's committed dist/. */
function kindLine(env: string): string {
  const objects = distObjects(env);
  const kinds = new Map<string, number>();
  for (const o of objects) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
  return `${env}: ${objects.length} objects - ${[...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ')}`;
}

describe('npm run synth (real CLI)', () => {
  test('--help prints the usage and exits 0', async () => {
    const r = await synthCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: npm run synth -- [options]');
    expect(r.stdout).toContain('--check');
  });

  test('an unknown flag exits 2 with the usage', async () => {
    const r = await synthCli(['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: Unknown option '--frobnicate'");
    expect(r.stderr).toContain('Usage: npm run synth');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('a malformed --set exits 2', async () => {
    const r = await synthCli(['--set', 'backend.replicas']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --set "backend.replicas": key "replicas" has no value');
  });

  test('the committed dist/ and helm-wrapper/ are current (--check)', async () => {
    const r = await synthCli(['--check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test('--check catches a hand-edited dist/ file and writes nothing', async () => {
    const root = committedCopy();
    const file = join(root, 'dist/local/06-deployment-todo-backend.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('replicas: 2', 'replicas: 3'));
    const before = fingerprint(root);
    const r = await synthCli(['--check', '--root', root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('stale: dist/local/06-deployment-todo-backend.yaml (differs)');
    expect(fingerprint(root)).toEqual(before);
  });

  test('--check catches a missing and an extra file', async () => {
    const root = committedCopy();
    writeFileSync(join(root, 'dist/dev/99-extra.yaml'), 'kind: Extra\n');
    const r = await synthCli(['--check', '--root', root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('stale: dist/dev/99-extra.yaml (not generated)');
  });

  test('synthesizing twice gives identical bytes, equal to the committed output', async () => {
    const [a, b] = [tempDir(), tempDir()];
    const [ra, rb] = await Promise.all([synthCli(['--root', a, '--quiet']), synthCli(['--root', b, '--quiet'])]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    expect(fingerprint(a)).toEqual(fingerprint(b));
    expect(fingerprint(join(a, 'dist/production'))).toEqual(fingerprint(join(ROOT, 'dist/production')));
  });

  test('a folder whose content is already right is not rewritten', async () => {
    const root = tempDir();
    expect((await synthCli(['--env', 'local', '--root', root])).stdout).toContain('wrote: dist/local/ (18 files)');
    const file = join(root, 'dist/local/06-deployment-todo-backend.yaml');
    const mtime = statSync(file).mtimeMs;
    const again = await synthCli(['--env', 'local', '--root', root]);
    expect(again.stdout).toContain('up to date: dist/local/ (18 files)');
    expect(statSync(file).mtimeMs).toBe(mtime);
    const changed = await synthCli(['--env', 'local', '--root', root, '--set', 'backend.replicas=3']);
    expect(changed.stdout).toContain('wrote: dist/local/ (18 files)');
    expect(readFileSync(file, 'utf8')).toContain('replicas: 3');
  });

  test('cdk8s.yaml runs the same pipeline, with cdk8s-cli\'s own output folder outside dist/', () => {
    const config = readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8');
    expect(config.match(/^app: (.*)$/m)?.[1]).toBe('node lib/tools/run.js main.ts --quiet');
    expect(config.match(/^output: (.*)$/m)?.[1]).toBe('.build/cdk8s.out');
  });

  test('--env writes only that environment', async () => {
    const root = tempDir();
    const r = await synthCli(['--env', 'local', '--root', root]);
    expect(r.code).toBe(0);
    expect(Object.keys(fingerprint(root)).every((f) => f.startsWith('dist/local/'))).toBe(true);
    expect(r.stdout).toContain(`local: ${distObjects('local').length} objects`);
  });

  test('--values and --set layer in order over the preset', async () => {
    const root = tempDir();
    const values = join(tempDir(), 'v.yaml');
    writeFileSync(values, 'environment: production\nbackend:\n  image:\n    tag: "2.0.0"\n');
    const r = await synthCli(['--values', values, '--set', 'backend.image.tag=2.0.1', '--root', root]);
    expect(r.code).toBe(0);
    const deployment = readFileSync(join(root, 'dist/production/06-deployment-todo-backend.yaml'), 'utf8');
    expect(deployment).toContain('image: todo-backend:2.0.1');
    expect(Object.keys(fingerprint(root)).every((f) => f.startsWith('dist/production/'))).toBe(true);
  });

  test('prints a summary per environment: kinds, resources against the budget, findings', async () => {
    const r = await synthCli(['--env', 'local', '--env', 'production', '--root', tempDir()]);
    // Counted from the committed dist/, so a service or a job added by a guide changes nothing here.
    expect(r.stdout).toContain(kindLine('local'));
    expect(r.stdout).toMatch(/at max replicas: requests \d+m CPU \/ \d+Mi, limits \d+m CPU \/ \d+Mi \(budget for requests: 2000m CPU \/ 2048Mi\)/);
    expect(r.stdout).toContain(kindLine('production'));
    expect(r.stdout).toContain('validation: 0 findings, 0 exemptions');
  });
});
