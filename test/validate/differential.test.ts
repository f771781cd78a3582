import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../cli/support';
import { ALLOWLIST, FIXTURE, offlineVerdict, type RecordedVerdict } from './differential';
import { mutationCases } from './mutations';

/**
 * The differential test, offline: the API server's recorded verdicts on every mutation case
 * (test/validate/fixtures/server-verdicts.json, recorded by
 * `TODO_STACK_RECORD_VERDICTS=1 npm run test:cluster -- -t differential`) against the validator.
 */
describe('the validator against the recorded verdicts of the API server', () => {
  const recorded: RecordedVerdict[] = JSON.parse(readFileSync(join(ROOT, FIXTURE), 'utf8'));
  const byId = new Map(recorded.map((r) => [r.id, r]));
  const cases = mutationCases();

  test('there are at least 300 cases, and every case has a recorded verdict', () => {
    expect(existsSync(join(ROOT, FIXTURE))).toBe(true);
    expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(cases.filter((c) => !byId.has(c.id)).map((c) => c.id)).toEqual([]);
  });

  test('every allowlisted case is a real disagreement', () => {
    const stale = Object.keys(ALLOWLIST).filter((id) => {
      const c = cases.find((x) => x.id === id);
      return !c || offlineVerdict(c).rejects === !byId.get(id)?.allowed;
    });
    expect(stale).toEqual([]);
  });

  test.each(cases.map((c) => [c.id, c] as const))('%s', (id, c) => {
    const server = byId.get(id);
    if (!server || id in ALLOWLIST) return;
    const offline = offlineVerdict(c);
    expect({ id, offlineRejects: offline.rejects, rules: offline.rules }).toEqual({ id, offlineRejects: !server.allowed, rules: expect.anything() });
  });
});
