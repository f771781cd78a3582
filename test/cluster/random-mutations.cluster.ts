import { seededRandom } from '../support';
import { offlineVerdict } from '../validate/differential';
import { randomMutationCases } from '../validate/random-mutations';
import { dryRunEach } from './support';

/**
 * The differential test at random (issue 23): random single-field mutations of valid objects of
 * every kind (test/validate/random-mutations.ts, printed seed), through the real API server's
 * server-side dry run and the offline validator. The validator must agree on at least 99 % of
 * them, and never refuse what the server accepts. `TODO_STACK_MUTATIONS` sets the count;
 * `TODO_STACK_MUTATION_SEED` (or `TODO_STACK_SEED`) repeats a run.
 */
const COUNT = Number(process.env.TODO_STACK_MUTATIONS ?? 400);

test(`the validator agrees with the API server on ${COUNT} random single-field mutations, with no false positive`, async () => {
  const random = seededRandom('random mutations', process.env.TODO_STACK_MUTATION_SEED);
  const cases = randomMutationCases(random, COUNT);
  const verdicts = await dryRunEach('random-mutations', cases.map((c) => c.object));
  const perKind = new Map<string, { cases: number; refused: number; caught: number; falsePositives: number }>();
  const falsePositives: string[] = [];
  const misses: string[] = [];
  cases.forEach((c, i) => {
    const kind = c.object.kind;
    const stats = perKind.get(kind) ?? { cases: 0, refused: 0, caught: 0, falsePositives: 0 };
    perKind.set(kind, stats);
    const offline = offlineVerdict(c);
    const refused = !verdicts[i].allowed;
    stats.cases++;
    if (refused) {
      stats.refused++;
      if (offline.rejects) stats.caught++;
      else misses.push(`${c.id} ${c.change}: the server refuses (${verdicts[i].message.slice(0, 200)}), the validator accepts`);
    } else if (offline.rejects) {
      stats.falsePositives++;
      falsePositives.push(`${c.id} ${c.change}: the server accepts, the validator refuses (${offline.rules.join(', ')})`);
    }
  });
  const refused = [...perKind.values()].reduce((n, s) => n + s.refused, 0);
  const caught = [...perKind.values()].reduce((n, s) => n + s.caught, 0);
  const agree = cases.length - misses.length - falsePositives.length;
  console.log([
    `random mutations: ${cases.length} cases, ${agree} agree (${((100 * agree) / cases.length).toFixed(1)} %); the server refused ${refused}, the validator caught ${caught}; ${falsePositives.length} false positives`,
    ...[...perKind].map(([kind, s]) => `  ${kind}: ${s.cases} cases, ${s.refused} refused, ${s.caught} caught, ${s.falsePositives} false positives`),
    ...misses.map((m) => `  miss: ${m}`),
  ].join('\n'));
  expect(falsePositives).toEqual([]);
  expect(agree / cases.length).toBeGreaterThanOrEqual(0.99);
});
