import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEntry, synthCli, tempDir } from './support';

/**
 * SPEC S6 "Linear": thousands of values are handled in time linear in their number (a values
 * file of 16,000 extraEnv keys took 254 s when cdk8s-plus's generated ConfigMap serializer copied
 * the map once per key), and what the API server cannot hold is refused with the limit named.
 * Timings live in npm run bench; here only the behaviour.
 */

/** A values file with `count` extraEnv keys, each value `width` characters. */
function extraEnvFile(count: number, width: number, keyOf = (i: number) => `KEY_${String(i).padStart(5, '0')}`): string {
  const lines = ['config:', '  extraEnv:'];
  for (let i = 0; i < count; i++) lines.push(`    ${keyOf(i)}: "${'v'.repeat(width)}"`);
  const file = join(tempDir(), 'values.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('large values', () => {
  test('16,000 extraEnv keys synthesize into every ConfigMap', async () => {
    const root = tempDir();
    const r = await synthCli(['--env', 'local', '--values', extraEnvFile(16_000, 8), '--root', root, '--quiet']);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const configMap = readFileSync(join(root, 'dist/local/03-configmap-todo-backend-config.yaml'), 'utf8');
    expect(configMap.match(/^ {2}KEY_\d{5}: /gm)?.length).toBe(16_000);
  });

  test('throws if a ConfigMap would hold more than 1 MiB, naming the limit', async () => {
    const r = await synthCli(['--env', 'local', '--values', extraEnvFile(12_000, 100), '--root', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: local: dist\/local - ConfigMap todo\/todo-backend-config is invalid: api\.config-data-size data: holds \d+ bytes; a ConfigMap holds at most 1048576 bytes \(1 MiB\) of keys and values/);
    expect(r.stderr).toContain('synth failed: nothing was written');
  });

  test('throws if a ConfigMap key is longer than 253 characters', async () => {
    const r = await synthCli(['--env', 'local', '--values', extraEnvFile(1, 1, () => `K${'X'.repeat(260)}`), '--root', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('api.config-data-keys data["KXXXXXXXX');
    expect(r.stderr).toContain('must be no more than 253 characters (it has 261)');
  });

  test('an object too big for client-side kubectl apply is written, with a warning recommending --server-side', async () => {
    const root = tempDir();
    const r = await synthCli(['--env', 'local', '--values', extraEnvFile(3_000, 100), '--root', root, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: local: dist\/local - ConfigMap todo\/todo-backend-config has a warning: apply\.client-side-size \/: is \d+ bytes as JSON: too big for client-side kubectl apply, .*apply it with kubectl apply --server-side/);
    const v = await runEntry('lib/cli/validate-main.ts', [join(root, 'dist/local')]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/Valid: 18, Invalid: 0, Errors: 0, Warnings: 3/);
  });
});
