import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../cli/support';
import { ALLOWLIST, FIXTURE, offlineVerdict, type RecordedVerdict } from '../validate/differential';
import { mutationCases } from '../validate/mutations';
import { dryRunEach } from './support';

/**
 * The differential test of the validator (SPEC S7): every mutation case through the real API
 * server (server-side dry run, strict field validation) and through the offline validator.
 * TODO_STACK_RECORD_VERDICTS=1 npm run test:cluster -- -t differential rewrites the recorded
 * verdicts that npm test checks offline (test/validate/differential.test.ts).
 */

test('the offline validator agrees with the API server on every mutation case (or the allowlist says why not)', async () => {
  const cases = mutationCases();
  const verdicts = await dryRunEach('differential', cases.map((c) => c.object));
  const recorded: RecordedVerdict[] = cases.map((c, i) => ({ id: c.id, allowed: verdicts[i].allowed, message: verdicts[i].message }));
  if (process.env.TODO_STACK_RECORD_VERDICTS === '1') writeFileSync(join(ROOT, FIXTURE), `${JSON.stringify(recorded, null, 1)}\n`);
  const disagreements = cases.flatMap((c, i) => {
    const offline = offlineVerdict(c);
    const serverRejects = !verdicts[i].allowed;
    return offline.rejects === serverRejects ? [] : [{ id: c.id, server: serverRejects ? `rejects: ${verdicts[i].message}` : 'allows', offline: offline.rejects ? `rejects (${offline.rules.join(', ')})` : 'allows' }];
  });
  const unexplained = disagreements.filter((d) => !(d.id in ALLOWLIST));
  console.log(`differential: ${cases.length} cases, ${cases.length - disagreements.length} agree (${((100 * (cases.length - disagreements.length)) / cases.length).toFixed(1)} %), ${disagreements.length - unexplained.length} allowlisted`);
  expect(unexplained).toEqual([]);
});
