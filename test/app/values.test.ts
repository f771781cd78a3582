import { BUDGETS, PRESETS } from '../../apps/todo/environments';
import { mergeValues } from '../../lib/values/merge-values';
import { parseQuantity } from '../../constructs';
import { checkOverlay, crossFieldProblems, formatProblem, resolveValues, ValuesError } from '../../apps/todo/values';
import { ENVIRONMENTS, SERVICES, type TodoValuesOverlay } from '../../apps/todo/values-schema';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValuesError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

/** The local requests at each service's maximum replicas, with an overlay: CPU in cores, memory in bytes. */
function localTotals(overlay: object): { cpu: number; memory: number } {
  const values = mergeValues(PRESETS.local, overlay) as Record<string, any>;
  let [cpu, memory] = [0, 0];
  for (const service of SERVICES) {
    const v = values[service];
    const max = v.autoscaling?.enabled ? v.autoscaling.maxReplicas : v.replicas;
    cpu += parseQuantity(v.resources.requests.cpu) * max;
    memory += parseQuantity(v.resources.requests.memory) * max;
  }
  return { cpu, memory };
}

const resolve = (env: 'local' | 'dev' | 'production', overlay: unknown) =>
  problemsOf(() => resolveValues(env, [checkOverlay({ source: '--set', data: overlay }) as TodoValuesOverlay], '--set'));

describe('values schema', () => {
  test.each(ENVIRONMENTS)('the %s preset is valid', (env) => {
    expect(crossFieldProblems(PRESETS[env])).toEqual([]);
    expect(() => resolveValues(env, [])).not.toThrow();
  });

  test('throws if a key is unknown, naming it', () => {
    expect(problemsOf(() => checkOverlay({ source: 'f.yaml', data: { backend: { replicaz: 3 } } })))
      .toEqual(['f.yaml: backend.replicaz: unknown key (check the spelling; see values.yaml for the valid keys)']);
  });

  test('throws if replicas is not an integer, with the value given', () => {
    expect(problemsOf(() => checkOverlay({ source: '--set', data: { backend: { replicas: 'two' } } })))
      .toEqual(['--set: backend.replicas: expected an integer >= 1 and <= 1000, got "two"']);
  });

  test('throws if a limit is below its request', () => {
    expect(resolve('local', { backend: { resources: { limits: { cpu: '100m' } } } }))
      .toEqual(['--set: backend.resources.limits.cpu: limit 100m is below the request 200m; a limit must be at least its request']);
  });

  test('throws if minReplicas is above maxReplicas', () => {
    expect(resolve('production', { frontend: { autoscaling: { minReplicas: 6 } } }))
      .toEqual(['--set: frontend.autoscaling.minReplicas: 6 is greater than maxReplicas 5']);
  });

  test('throws if a nodePort is outside 30000-32767', () => {
    expect(resolve('local', { frontend: { service: { nodePort: 80 } } }))
      .toEqual(['--set: frontend.service.nodePort: expected an integer >= 30000 and <= 32767, got 80']);
  });

  test('throws if a nodePort is set for a LoadBalancer', () => {
    expect(resolve('production', { frontend: { service: { nodePort: 30080 } } }))
      .toEqual(['--set: frontend.service.nodePort: is only allowed with service type NodePort, not LoadBalancer; remove it or set frontend.service.type=NodePort']);
  });

  test('switching the local service type drops the preset nodePort', () => {
    expect(resolveValues('local', [{ frontend: { service: { type: 'ClusterIP' } } }]).frontend.service).toEqual({ type: 'ClusterIP', port: 3000 });
  });

  test('throws if a port is outside 1-65535', () => {
    expect(resolve('local', { backend: { service: { port: 70000 } } }))
      .toEqual(['--set: backend.service.port: expected an integer >= 1 and <= 65535, got 70000']);
  });

  test('throws if the image tag is latest', () => {
    expect(resolve('local', { backend: { image: { tag: 'latest' } } }))
      .toEqual(['--set: backend.image.tag: image tag must not be "latest": pin an explicit version or a digest, got "latest"']);
  });

  test('throws if the image repository is invalid', () => {
    expect(resolve('local', { mcp: { image: { repository: 'Bad Repo' } } })[0]).toMatch(/^--set: mcp.image.repository: image repository must be a valid image repository/);
  });

  test('throws if production is not highly available', () => {
    expect(resolve('production', { mcp: { replicas: 1 } }))
      .toEqual(['--set: mcp.replicas: production must be highly available: at least 2 replicas (or an HPA with minReplicas >= 2), got 1']);
    expect(resolve('production', { backend: { autoscaling: { minReplicas: 1 } } }))
      .toEqual(['--set: backend.autoscaling.minReplicas: production must be highly available: at least 2 replicas (or an HPA with minReplicas >= 2), got 1']);
  });

  // The budget cases are counted from the local preset (the test's own sum, not the rule's), so a
  // service added by the README guide moves them without breaking them.
  test('throws if local requests exceed 2 CPU', () => {
    const budget = BUDGETS.local as { cpu: number; memoryBytes: number };
    const within = (n: number) => localTotals({ backend: { replicas: n } });
    let n = 1;
    while (within(n + 1).cpu <= budget.cpu && within(n + 1).memory <= budget.memoryBytes) n++;
    expect(resolve('local', { backend: { replicas: n } })).toEqual([]);
    let over = n + 1;
    while (!(within(over).cpu > budget.cpu && within(over).memory > budget.memoryBytes)) over++;
    expect(resolve('local', { backend: { replicas: over } })).toEqual([
      `--set: *.resources.requests.cpu: the local requests total ${Math.round(within(over).cpu * 1000)}m CPU at maximum replicas, over the budget of ${budget.cpu} CPU`,
      `--set: *.resources.requests.memory: the local requests total ${Math.round(within(over).memory / 2 ** 20)}Mi at maximum replicas, over the budget of ${budget.memoryBytes / 2 ** 20}Mi`,
    ]);
  });

  test('throws if local requests exceed 2 GiB', () => {
    const budget = BUDGETS.local as { cpu: number; memoryBytes: number };
    const overlay = { mcp: { resources: { requests: { memory: '1536Mi' }, limits: { memory: '2Gi' } } } };
    const totals = localTotals(overlay);
    expect([totals.cpu <= budget.cpu, totals.memory > budget.memoryBytes]).toEqual([true, true]);
    expect(resolve('local', overlay))
      .toEqual([`--set: *.resources.requests.memory: the local requests total ${Math.round(totals.memory / 2 ** 20)}Mi at maximum replicas, over the budget of ${budget.memoryBytes / 2 ** 20}Mi`]);
  });

  test('throws if a nested key is unknown', () => {
    expect(() => checkOverlay({ source: 'x', data: { frontend: { service: { typo: 1 } } } })).toThrow(/frontend.service.typo: unknown key/);
  });
});
