import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENTS } from '../../apps/todo/values-schema';
import { readUserValues } from '../../lib/cli/helm-values';
import { compareObjectSets } from '../../lib/helm/equivalence';
import { inlineDefinitions } from '../../lib/helm/schema-definitions';
import { readManyWithGo } from '../go-reader';
import { tempDir } from '../cli/support';
import { seededRandom } from '../support';
import { overlayLeafPaths, randomOverlay, schemaLeafPaths } from './overlays';
import { CHART, helm, MAJORS, type SynthOutcome, synthOutcome } from './support';
import { renderInUmbrella, type UmbrellaCase, umbrellaCanRender } from './umbrella';

/**
 * Equivalence as a property (SPEC S8): for random valid and invalid overlays, synth and Helm (3
 * and 4) both refuse, or render the same objects as Go reads them, up to what S8 allows. Each
 * overlay is tried twice: layered on `-f values-<env>.yaml`, and with `--set environment=<env>`.
 * Synth reads the values exactly as `npm run synth -- --values ... --set ...` does.
 *
 * `TODO_STACK_OVERLAYS` sets the count (100 here, 1,000 in .ci/run); `TODO_STACK_SEED` repeats a run;
 * `TODO_STACK_UMBRELLA=0` renders every case alone (.ci/run), not in umbrella charts.
 */
const COUNT = Number(process.env.TODO_STACK_OVERLAYS ?? 100);
/** Helm-only keys: dist/ never holds secret values; test/helm/chart.test.ts covers them. */
const HELM_ONLY = ['secrets.create', 'secrets.databaseUrl', 'secrets.openaiApiKey', 'secrets.betterAuthSecret'];
// The overlay generator walks the schema: its shared definitions are written out where they are used.
const SCHEMA = inlineDefinitions(JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')));

type Outcome = SynthOutcome;

interface Case {
  readonly label: string;
  readonly synth: { files: string[]; sets: string[] };
  readonly helm: string[];
  /** The same values as data, for the umbrella (test/helm/umbrella.ts). */
  readonly umbrella: UmbrellaCase;
}

/**
 * Cases synth renders are first rendered many at a time, in an umbrella chart (a case Helm
 * renders otherwise there is rendered again alone, which decides); `TODO_STACK_UMBRELLA=0`
 * renders every case alone, as the CI's run of 1,000 does.
 */
const UMBRELLA = process.env.TODO_STACK_UMBRELLA !== '0';
const UMBRELLA_SIZE = 50;

type Render = { stdout: string } | { refused: string };

/** What Helm reads from a values file (through synth's own reading, lib/cli/helm-values.ts). */
const helmReading = (file: string): unknown => readUserValues([{ path: file, text: readFileSync(file, 'utf8') }], []).data;

/**
 * Renders the cases it is given in umbrellas of UMBRELLA_SIZE, each umbrella as soon as it is
 * full (so Helm renders while synth goes on): each case's renders by major, where the umbrella
 * rendered it; a case in an umbrella Helm refused is left out, to be rendered alone.
 */
function umbrellaRenderer(cases: readonly Case[]) {
  const out = new Map<number, Map<number, Render>>();
  const running: Array<Promise<void>> = [];
  let group: number[] = [];
  const flush = () => {
    const indexes = group;
    group = [];
    if (!indexes.length) return;
    running.push(Promise.all(MAJORS.map((major) => renderInUmbrella(major, indexes.map((i) => cases[i].umbrella)))).then((rendered) => {
      if (rendered.some((r) => r === undefined)) return; // some case was refused: each is rendered alone
      indexes.forEach((caseIndex, k) => out.set(caseIndex, new Map(MAJORS.map((major, m) => [major, { stdout: (rendered[m] as string[])[k] }]))));
    }));
  };
  return {
    add(i: number) {
      group.push(i);
      if (group.length >= UMBRELLA_SIZE) flush();
    },
    async done(): Promise<Map<number, Map<number, Render>>> {
      flush();
      await Promise.all(running);
      return out;
    },
  };
}

/** Helm's raw renders of those flags, by major: the output, or the error. */
async function helmRenders(args: string[]): Promise<Map<number, Render>> {
  const results = await Promise.all(MAJORS.map((major) => helm(major, ['template', 'todo', CHART, ...args])));
  return new Map(results.map((r, i) => [MAJORS[i], r.code === 0 ? { stdout: r.stdout } : { refused: r.stderr.trim() }]));
}

/** Every render as Go reads it, with one kubectl process for all (identical renders read once). */
async function readRenders(renders: ReadonlyArray<Map<number, Render>>): Promise<Array<Map<number, Outcome>>> {
  const texts = [...new Set(renders.flatMap((m) => [...m.values()].flatMap((r) => ('stdout' in r ? [r.stdout] : []))))];
  const read = await readManyWithGo(texts);
  const byText = new Map<string, Outcome>(texts.map((t, i) => {
    const r = read[i];
    return [t, 'error' in r ? { refused: `Go cannot read Helm's output: ${r.error}` } : { objects: r.objects as Array<Record<string, any>> }];
  }));
  return renders.map((m) => new Map([...m].map(([major, r]) => [major, 'stdout' in r ? (byText.get(r.stdout) as Outcome) : r])));
}

function disagreement(synth: Outcome, major: number, helmResult: Outcome): string | undefined {
  if ('refused' in synth && 'refused' in helmResult) return undefined;
  if ('refused' in synth) return `synth refuses (${synth.refused.split('\n')[0]}), Helm ${major} renders`;
  if ('refused' in helmResult) return `synth renders, Helm ${major} refuses: ${helmResult.refused.split('\n').slice(0, 2).join(' ')}`;
  const diffs = compareObjectSets(synth.objects, helmResult.objects);
  return diffs.length ? `Helm ${major} renders other objects: ${diffs.slice(0, 5).join('; ')}` : undefined;
}

/** Runs `work` over `items`, `width` at a time. */
async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

test('the overlay generator draws every key of the values schema', () => {
  const random = seededRandom('overlay coverage');
  const drawn = new Set<string>();
  for (let i = 0; i < 3000; i++) for (const p of overlayLeafPaths(randomOverlay(random, SCHEMA, { skip: HELM_ONLY }), SCHEMA)) drawn.add(p);
  const missing = schemaLeafPaths(SCHEMA).filter((p) => !drawn.has(p) && !HELM_ONLY.includes(p));
  expect(missing).toEqual([]);
});

/** Chance that an optional key is drawn: about two overlays in three render (the floor below is half). */
const DENSITY = 0.2;

/** Two outcomes agree when both refuse, or both render the same objects. */
function sameOutcome(a: Outcome, b: Outcome): boolean {
  if ('refused' in a || 'refused' in b) return 'refused' in a && 'refused' in b;
  return compareObjectSets(a.objects, b.objects).length === 0;
}

test(`synth and Helm ${MAJORS.join(' and ')} both refuse, or render the same objects, for ${COUNT} random overlays`, async () => {
  const random = seededRandom('synth-vs-helm overlays');
  const dir = tempDir('todo-stack-overlays-');
  const cases: Array<Case & { overlay: Record<string, unknown>; index: number; form: 'file' | 'set' }> = [];
  const presetData = Object.fromEntries(ENVIRONMENTS.map((env) => [env, helmReading(join(CHART, `values-${env}.yaml`))]));
  for (let i = 0; i < COUNT; i++) {
    const overlay = randomOverlay(random, SCHEMA, { skip: HELM_ONLY, density: DENSITY });
    const file = join(dir, `overlay-${i}.json`);
    writeFileSync(file, JSON.stringify(overlay));
    const env = ENVIRONMENTS[Math.floor(random() * ENVIRONMENTS.length)];
    const preset = join(CHART, `values-${env}.yaml`);
    cases.push(
      {
        overlay, index: i, form: 'file', label: `#${i} -f values-${env}.yaml -f overlay`,
        synth: { files: [preset, file], sets: [] }, helm: ['-f', preset, '-f', file], umbrella: { files: [presetData[env], overlay], sets: [] },
      },
      {
        overlay, index: i, form: 'set', label: `#${i} -f overlay --set environment=${env}`,
        synth: { files: [file], sets: [`environment=${env}`] }, helm: ['-f', file, '--set', `environment=${env}`], umbrella: { files: [overlay], sets: [`environment=${env}`] },
      },
    );
  }
  const failures: string[] = [];
  let renderedBoth = 0;
  const outcomes = new Map<string, Outcome>();
  const synths: Outcome[] = [];
  const renders: Array<Map<number, Render>> = [];
  const alone = async (indexes: number[]) => pool(indexes, 3, async (i) => { renders[i] = await helmRenders(cases[i].helm); });
  // Synth in-process, while Helm renders alone the cases synth refuses, and the others in umbrellas.
  const umbrellas = umbrellaRenderer(cases);
  await pool(cases.map((_c, i) => i), 3, async (i) => {
    synths[i] = synthOutcome(cases[i].synth.files, cases[i].synth.sets);
    if (UMBRELLA && 'objects' in synths[i] && umbrellaCanRender(cases[i].umbrella)) umbrellas.add(i);
    else renders[i] = await helmRenders(cases[i].helm);
  });
  const inUmbrella = await umbrellas.done();
  inUmbrella.forEach((r, i) => { renders[i] = r; });
  await alone(cases.map((_c, i) => i).filter((i) => !renders[i]));
  let helmOutcomes = await readRenders(renders);
  // The umbrella is a fast path, not the judge: a case it renders otherwise than synth is rendered alone.
  const doubtful = [...inUmbrella.keys()].filter((i) => [...helmOutcomes[i]].some(([major, o]) => disagreement(synths[i], major, o)));
  if (doubtful.length) {
    await alone(doubtful);
    helmOutcomes = await readRenders(renders);
  }
  cases.forEach((c, i) => {
    const synth = synths[i];
    if ('objects' in synth && [...helmOutcomes[i].values()].every((o) => 'objects' in o)) renderedBoth++;
    for (const [major, outcome] of helmOutcomes[i]) {
      const problem = disagreement(synth, major, outcome);
      if (problem) failures.push(`${c.label}: ${problem}\n  overlay: ${JSON.stringify(c.overlay)}`);
      outcomes.set(`${c.index} ${c.form} ${major}`, outcome);
    }
    outcomes.set(`${c.index} ${c.form} synth`, synth);
  });
  // -f values-<env>.yaml means exactly --set environment=<env>, unless the overlay itself names an environment.
  for (let i = 0; i < COUNT; i++) {
    const overlay = cases[2 * i].overlay;
    if ('environment' in overlay) continue;
    for (const side of ['synth', ...MAJORS.map(String)]) {
      const [byFile, bySet] = [outcomes.get(`${i} file ${side}`), outcomes.get(`${i} set ${side}`)] as Outcome[];
      if (!sameOutcome(byFile, bySet)) failures.push(`#${i}: ${side === 'synth' ? 'synth' : `Helm ${side}`} reads -f values-<env>.yaml otherwise than --set environment=<env>\n  overlay: ${JSON.stringify(overlay)}`);
    }
  }
  const rate = renderedBoth / cases.length;
  console.log(`synth-vs-helm: ${cases.length} cases, ${renderedBoth} rendered by synth and Helm (${Math.round(rate * 100)} %), ${failures.length} disagreements`);
  expect(failures.slice(0, 20)).toEqual([]);
  // A generator whose overlays were all refused would prove nothing about rendering. A dozen
  // overlays cannot show it (six runs of 12 in a copy rendered 54-100 %), so only a run of 100 or
  // more (npm test, CI) is held to the floor; a smaller one checks the agreement alone.
  if (COUNT >= 100) expect(rate).toBeGreaterThanOrEqual(0.5);
}, 60_000 + COUNT * 2_000);
