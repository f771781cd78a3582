import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv from 'ajv';
import { GUESTBOOK_CHART, guestbookChartFiles, synthesizeGuestbook } from '../../examples/guestbook/chart';
import { GUESTBOOK_PRESETS } from '../../examples/guestbook/guestbook';
import { readUserValues } from '../../lib/cli/helm-values';
import { compareObjectSets } from '../../lib/helm/equivalence';
import { controlCharacterProblems } from '../../lib/values/control-characters';
import { mergeValues } from '../../lib/values/merge-values';
import { ROOT, tempDir } from '../cli/support';
import { readManyWithGo } from '../go-reader';
import { seededRandom } from '../support';
import { randomOverlay } from './overlays';
import { helm, MAJORS, type SynthOutcome } from './support';

/**
 * The guestbook's chart (examples/guestbook), from the same compiler as the todo stack's: it is
 * what the compiler writes, Helm 3 and 4 lint it strictly, each preset renders what synth makes
 * of it, and random overlays (seed printed) are refused by both sides or render the same objects.
 * `TODO_STACK_GUESTBOOK_OVERLAYS` sets the count (40).
 */
const CHART = join(ROOT, 'examples/guestbook/chart');
const COUNT = Number(process.env.TODO_STACK_GUESTBOOK_OVERLAYS ?? 40);
const RELEASE = 'gb';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

test('the committed guestbook chart is what the compiler writes (node lib/tools/run.js examples/guestbook/chart-main.ts)', () => {
  const committed = new Map(filesUnder(CHART).map((f) => [relative(CHART, f), readFileSync(f, 'utf8')]));
  expect(committed).toEqual(guestbookChartFiles());
});

test('the guestbook chart has no hand-written template: every object template comes from the compiler', () => {
  const templates = [...guestbookChartFiles().keys()].filter((p) => p.startsWith('templates/') && p.endsWith('.yaml'));
  expect(templates.sort()).toEqual([
    'deployment-api', 'deployment-web', 'horizontalpodautoscaler-api', 'networkpolicy-api', 'networkpolicy-default-deny', 'networkpolicy-web',
    'poddisruptionbudget-api', 'poddisruptionbudget-web', 'service-api', 'service-web', 'serviceaccount-api', 'serviceaccount-web',
  ].map((n) => `templates/${n}.yaml`));
  expect(GUESTBOOK_CHART.files).toBeUndefined();
  expect(GUESTBOOK_CHART.helpers).toBeUndefined();
});

test.each(MAJORS)('helm lint --strict passes with Helm %i', async (major) => {
  const r = await helm(major, ['lint', '--strict', CHART]);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
});

test.each(MAJORS.flatMap((major) => Object.keys(GUESTBOOK_PRESETS).map((env) => [major, env] as const)))('Helm %i renders the %s preset as synth does', async (major, env) => {
  const r = await helm(major, ['template', RELEASE, CHART, '-f', join(CHART, `values-${env}.yaml`)]);
  expect(r.stderr).toBe('');
  const [read] = await readManyWithGo([r.stdout]);
  if ('error' in read) throw new Error(read.error);
  const synth = synthesizeGuestbook(GUESTBOOK_PRESETS[env as keyof typeof GUESTBOOK_PRESETS], RELEASE).objects;
  expect(compareObjectSets(synth, read.objects)).toEqual([]);
});

const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'));
const validOverlay = new Ajv({ strict: false, allErrors: false }).compile(schema);

/** What synth makes of an overlay as Helm read it: the preset of its environment, then the overlay, then the schema and rules. */
function synthOutcome(overlay: Record<string, unknown>): SynthOutcome {
  const control = controlCharacterProblems(overlay, 'overlay');
  if (control.length) return { refused: control[0].message };
  if (!validOverlay(overlay)) return { refused: `values.schema.json: ${validOverlay.errors?.[0]?.instancePath} ${validOverlay.errors?.[0]?.message}` };
  const environment = (overlay.environment ?? GUESTBOOK_CHART.defaultEnvironment) as keyof typeof GUESTBOOK_PRESETS;
  try {
    return { objects: synthesizeGuestbook(mergeValues(GUESTBOOK_PRESETS[environment], overlay), RELEASE).objects };
  } catch (e) {
    return { refused: (e as Error).message };
  }
}

test(`synth and Helm ${MAJORS.join(' and ')} both refuse, or render the same objects, for ${COUNT} random guestbook overlays`, async () => {
  const random = seededRandom('guestbook overlays');
  const dir = tempDir('todo-stack-guestbook-');
  const cases = Array.from({ length: COUNT }, (_, i) => {
    const file = join(dir, `overlay-${i}.yaml`);
    writeFileSync(file, JSON.stringify(randomOverlay(random, schema, { density: 0.25 })));
    // Synth reads the file as Helm does (lib/cli/helm-values.ts).
    return { file, synth: synthOutcome(readUserValues([{ path: file, text: readFileSync(file, 'utf8') }], []).data as Record<string, unknown>) };
  });
  const renders = await Promise.all(cases.map((c) => Promise.all(MAJORS.map((major) => helm(major, ['template', RELEASE, CHART, '-f', c.file])))));
  const texts = renders.flat().filter((r) => r.code === 0).map((r) => r.stdout);
  const read = await readManyWithGo(texts);
  const byText = new Map(texts.map((t, i) => [t, read[i]]));
  const disagreements: string[] = [];
  let rendered = 0;
  cases.forEach((c, i) => {
    renders[i].forEach((r, m) => {
      const reading = r.code === 0 ? byText.get(r.stdout) : undefined;
      const helmSide: SynthOutcome = r.code !== 0 ? { refused: r.stderr } : reading && 'objects' in reading ? { objects: reading.objects } : { refused: 'Go cannot read the output' };
      if ('refused' in c.synth !== 'refused' in helmSide) disagreements.push(`overlay ${i}, Helm ${MAJORS[m]}: synth ${'refused' in c.synth ? `refuses (${c.synth.refused.split('\n')[0]})` : 'renders'}, Helm ${'refused' in helmSide ? `refuses (${helmSide.refused.trim().split('\n')[0]})` : 'renders'}: ${readFileSync(c.file, 'utf8')}`);
      else if ('objects' in c.synth && 'objects' in helmSide) {
        const diffs = compareObjectSets(c.synth.objects, helmSide.objects);
        if (diffs.length) disagreements.push(`overlay ${i}, Helm ${MAJORS[m]}: ${diffs.slice(0, 3).join('; ')}: ${readFileSync(c.file, 'utf8')}`);
      }
    });
    if ('objects' in c.synth) rendered++;
  });
  console.log(`guestbook overlays: ${rendered} of ${COUNT} rendered by synth`);
  expect(disagreements).toEqual([]);
  // A generator whose every overlay is refused would prove nothing.
  expect(rendered).toBeGreaterThanOrEqual(COUNT / 2);
});

test('the chart\'s README and values files speak of the guestbook, not of the app the compiler was first written for', () => {
  const files = guestbookChartFiles();
  expect(files.get('README.md')).toContain("`values.yaml` holds `demo`'s");
  expect(files.get('README.md')).not.toMatch(/todo-stack \(npm run synth\)|except under `global`/);
  expect(files.get('values-production.yaml')).toContain('helm install guestbook ./examples/guestbook/chart -f examples/guestbook/chart/values-production.yaml');
});
