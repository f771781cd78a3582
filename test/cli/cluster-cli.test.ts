import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binariesDir, pinnedVersions } from '../../lib/cluster/build';
import { ROOT, runEntry } from './support';

/** The cluster commands' offline behaviour (the cluster itself is tested by npm run test:cluster). */
describe('npm run cluster (offline)', () => {
  test('an unknown command exits 2 with the usage', async () => {
    const r = await runEntry('lib/cluster/cluster-main.ts', ['sideways']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: unknown command "sideways"');
    expect(r.stderr).toContain('Usage: npm run cluster -- <command>');
  });

  test('an unknown tier exits 2', async () => {
    const r = await runEntry('lib/cluster/cluster-main.ts', ['up', '--tier', 'huge']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --tier must be api, full or node, got "huge"');
  });

  test('the pinned versions come from the committed wrapper modules', () => {
    const v = pinnedVersions();
    expect(v.kubernetes).toMatch(/^v1\.\d+\.\d+$/);
    expect(v.etcd).toMatch(/^v3\.\d+\.\d+$/);
    expect(v.kwok).toMatch(/^v0\.\d+\.\d+$/);
  });

  test('the cache folder is outside the repository and keyed by the go.sum files', () => {
    expect(binariesDir().startsWith(ROOT)).toBe(false);
    expect(binariesDir()).toMatch(/\/cluster\/kubernetes-[0-9a-f]{16}$/);
  });

  test('every staging module of k8s.io/kubernetes is replaced by its published version', () => {
    const mod = readFileSync(join(ROOT, 'lib/cluster/go/kubernetes/go.mod'), 'utf8');
    const version = pinnedVersions().kubernetes.replace(/^v1\./, 'v0.');
    const replaced = [...mod.matchAll(/^\t(k8s\.io\/[\w-]+) => (k8s\.io\/[\w-]+) (v\S+)$/gm)];
    expect(replaced.length).toBeGreaterThan(25);
    for (const [, from, to, v] of replaced) expect([from, v]).toEqual([to, version]);
  });
});
