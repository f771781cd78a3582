import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { decideReplicas, REPLICA_DECISIONS, ScaledBackend } from '../../constructs';
import { toGo } from '../../constructs/expr';
import { tempDir } from '../cli/support';
import { one, podSpec, synth, workloadProps } from '../support';
import { CHART, helm, MAJORS } from './support';

/**
 * The constructs' replica decisions (constructs/replica-decisions.ts) are defined once: the
 * constructs evaluate them, and the chart compiles the same expressions. Both back ends must
 * agree for every count, with the counts read as the chart reads values (JSON numbers).
 */

const DECISIONS = Object.keys(REPLICA_DECISIONS) as Array<keyof typeof REPLICA_DECISIONS>;
const COUNTS = [1, 2, 3, 10].flatMap((minReplicas) => [1, 2, 3, 10].filter((max) => max >= minReplicas).map((maxReplicas) => ({ minReplicas, maxReplicas })));

test.each(MAJORS)('Helm %i renders each replica decision as the constructs evaluate it, for every count', async (major) => {
  const chart = join(tempDir('todo-stack-decisions-'), 'decisions');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: decisions\nversion: 0.0.0\n');
  writeFileSync(join(chart, 'values.yaml'), JSON.stringify({ counts: COUNTS }));
  const lines = DECISIONS.map((d) => `  {{ $i }}-${d}: {{ ${toGo(REPLICA_DECISIONS[d], 'decisions', { minReplicas: '$c.minReplicas', maxReplicas: '$c.maxReplicas' })} | quote }}`);
  // Read through fromJson, as the chart reads its values: every number is a float64.
  writeFileSync(join(chart, 'templates', 'out.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: out\ndata:\n{{- range $i, $c := (toJson .Values | fromJson).counts }}\n${lines.join('\n')}\n{{- end }}\n`);
  const r = await helm(major, ['template', 'rel', chart]);
  expect(r.stderr).toBe('');
  const expected = COUNTS.flatMap((counts, i) => DECISIONS.map((d) => `  ${i}-${d}: "${String(decideReplicas(d, counts))}"`));
  expect(r.stdout.split('\n').filter((l) => /^ {2}\d+-/.test(l))).toEqual(expected);
});

test('the chart\'s Deployments and PodDisruptionBudgets carry the compiled decisions, not a Go restatement', () => {
  const names = { minReplicas: '$minReplicas', maxReplicas: '$maxReplicas' };
  const deployment = readFileSync(join(CHART, 'templates', 'deployment-backend.yaml'), 'utf8');
  expect(deployment).toContain(toGo(REPLICA_DECISIONS.maxUnavailable, 'todo-stack', names));
  expect(deployment).toContain(toGo(REPLICA_DECISIONS.spreadAcrossNodes, 'todo-stack', names));
  expect(readFileSync(join(CHART, 'templates', 'poddisruptionbudget-backend.yaml'), 'utf8')).toContain(`{{- if ${toGo(REPLICA_DECISIONS.disruptionBudget, 'todo-stack', names)} }}`);
});

// What SPEC S3 asks of each count: no PDB or spread for one replica, a surge before any pod goes at one.
test.each([
  { replicas: 1, maxReplicas: undefined, expected: { maxUnavailable: 0, spreadAcrossNodes: false, disruptionBudget: false } },
  { replicas: 1, maxReplicas: 3, expected: { maxUnavailable: 0, spreadAcrossNodes: true, disruptionBudget: true } },
  { replicas: 2, maxReplicas: undefined, expected: { maxUnavailable: 1, spreadAcrossNodes: true, disruptionBudget: true } },
  { replicas: 3, maxReplicas: 10, expected: { maxUnavailable: 1, spreadAcrossNodes: true, disruptionBudget: true } },
])('a ScaledBackend of $replicas replicas (HPA maximum $maxReplicas) decides by REPLICA_DECISIONS', ({ replicas, maxReplicas, expected }) => {
  const chart = Testing.chart();
  new ScaledBackend(chart, 'Api', { ...workloadProps('api'), replicas, maxReplicas });
  const objects = synth(chart);
  const counts = { minReplicas: replicas, maxReplicas: maxReplicas ?? replicas };
  const made = {
    maxUnavailable: one(objects, 'Deployment').spec.strategy.rollingUpdate.maxUnavailable,
    spreadAcrossNodes: (podSpec(one(objects, 'Deployment')).topologySpreadConstraints ?? []).length > 0,
    disruptionBudget: objects.some((o) => o.kind === 'PodDisruptionBudget'),
  };
  expect(made).toEqual(expected);
  expect(made).toEqual(Object.fromEntries(DECISIONS.map((d) => [d, decideReplicas(d, counts)])));
});
