import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestPaths, parseManifests, readManifestFile } from '../../lib/validate/documents';
import { validateObjects } from '../../lib/validate/validator';

const CONFORMANCE = join(__dirname, '..', '..', '..', 'shared', 'conformance');

describe('kubeconform fixtures (strict), against EXPECTED.tsv', () => {
  const dir = join(CONFORMANCE, 'kubeconform');
  const rows = readFileSync(join(dir, 'EXPECTED.tsv'), 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t') as [string, 'valid' | 'invalid', string]);

  test('every fixture file has a row', () => {
    const files = manifestPaths(dir).map((p) => p.slice(dir.length + 1)).filter((f) => f !== 'EXPECTED.tsv');
    expect(files.sort()).toEqual(rows.map(([f]) => f).sort());
  });

  test.each(rows)('%s is %s (%s)', (file, expected) => {
    const report = validateObjects(readManifestFile(join(dir, file)), { schemaOnly: true });
    const verdict = report.invalid === 0 && report.errors === 0 ? 'valid' : 'invalid';
    expect({ file, verdict }).toEqual({ file, verdict: expected });
  });
});

/** The check a fixture's file name names: `seccompprofile_restricted1.yaml` -> `seccompprofile_restricted`. */
const checkOf = (file: string) => file.replace(/\d*\.yaml$/, '');

/** The same pod, as a Deployment's template. */
function wrapInDeployment(pod: Record<string, any>): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: pod.metadata.name.replace(/_/g, '-') },
    spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { ...pod.metadata, labels: { app: 'x' } }, spec: pod.spec } },
  };
}

describe.each(['as a Pod', 'wrapped in a Deployment'])('Pod Security Admission restricted v1.28 fixtures, %s', (form) => {
  const load = (kind: 'pass' | 'fail', file: string) => {
    const pod = parseManifests(readFileSync(join(CONFORMANCE, 'pss-restricted-v1.28', kind, file), 'utf8'))[0].object as Record<string, any>;
    return form === 'as a Pod' ? pod : wrapInDeployment(pod);
  };
  const files = (kind: 'pass' | 'fail') => readdirSync(join(CONFORMANCE, 'pss-restricted-v1.28', kind)).sort();

  test.each(files('pass'))('pass/%s passes every PSS rule', (file) => {
    const report = validateObjects([{ object: load('pass', file) }], { rulePrefixes: ['pss.'] });
    expect(report.findings.map((f) => f.line)).toEqual([]);
  });

  test.each(files('fail'))('fail/%s fails the rule its name names', (file) => {
    const report = validateObjects([{ object: load('fail', file) }], { rulePrefixes: ['pss.'] });
    const rules = [...new Set(report.findings.map((f) => f.ruleId.slice('pss.'.length).toLowerCase()))];
    expect(rules).toContain(checkOf(file));
  });
});
