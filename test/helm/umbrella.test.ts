import { compareObjectSets } from '../../lib/helm/equivalence';
import { readManyWithGo } from '../go-reader';
import { helmObjects, MAJORS, valuesFile } from './support';
import { renderInUmbrella } from './umbrella';

/** The property test's fast path (test/helm/umbrella.ts) renders what the chart renders alone. */

const CASES = [
  { files: [{ backend: { replicas: 3 }, commonLabels: { team: 'a' } }], sets: ['environment=dev'] },
  { files: [{ frontend: { service: { type: 'ClusterIP', nodePort: null } }, global: { imageRegistry: 'registry.example.com' } }], sets: [] },
  { files: [{ environment: 'production' }, { mcp: { replicas: 4 }, nameOverride: 'x' }], sets: [] },
];

test.each(MAJORS)('Helm %i renders each case in the umbrella as it renders it alone, nulls and globals included', async (major) => {
  const rendered = await renderInUmbrella(major, CASES);
  expect(rendered).toHaveLength(CASES.length);
  const read = await readManyWithGo(rendered as string[]);
  for (const [i, c] of CASES.entries()) {
    const alone = await helmObjects(major, [...c.files.flatMap((f) => ['-f', valuesFile(f as object)]), ...c.sets.flatMap((s) => ['--set', s])]);
    const inUmbrella = read[i];
    expect('objects' in inUmbrella && compareObjectSets(alone, inUmbrella.objects as any[])).toEqual([]);
  }
});

test('a case Helm refuses fails the whole umbrella render', async () => {
  expect(await renderInUmbrella(4, [CASES[0], { files: [{ backend: { replicas: 0 } }], sets: [] }])).toBeUndefined();
});
