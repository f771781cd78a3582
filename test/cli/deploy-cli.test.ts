import { runEntry } from './support';

/** `npm run plan` and `npm run deploy` refuse bad usage before they touch a cluster (the cluster tests cover the rest). */
describe('npm run plan and npm run deploy (offline)', () => {
  test('deploy without --env exits 2 with the usage', async () => {
    const r = await runEntry('main.ts', ['deploy'], { env: { KUBECONFIG: '/nonexistent' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --env is required');
    expect(r.stderr).toContain('Usage: npm run deploy -- --env <name>');
  });

  test('plan refuses an --output it does not know', async () => {
    const r = await runEntry('main.ts', ['plan', '--env', 'local', '--output', 'yaml'], { env: { KUBECONFIG: '/nonexistent' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --output must be text or json, got "yaml"');
  });

  test('deploy refuses a --timeout that is not a duration', async () => {
    const r = await runEntry('main.ts', ['deploy', '--env', 'local', '--timeout', 'soon'], { env: { KUBECONFIG: '/nonexistent' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --timeout must be a duration such as 300s or 5m, got "soon"');
  });

  test('invalid values fail before any cluster is asked, naming the key', async () => {
    const r = await runEntry('main.ts', ['plan', '--env', 'local', '--set', 'backend.replicas=-1'], { env: { KUBECONFIG: '/nonexistent' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: .*backend\.replicas/);
    expect(r.stderr).toContain('plan failed: nothing was applied');
  });
});
