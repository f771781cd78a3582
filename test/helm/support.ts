import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { todoApp } from '../../apps/todo/app';
import { CHART_VERSION } from '../../apps/todo/helm/chart';
import { CheckFailedError, UsageError } from '../../lib/cli/errors';
import { chooseEnvironments, loadOverlays, renderEnvironments } from '../../lib/cli/synth-command';
import { ValuesError } from '../../lib/values/problems';
import { readWithGo } from '../go-reader';
import { ensureHelm, type HelmMajor } from '../../lib/tools/helm-binaries';
import { diffPaths } from '../../lib/helm/equivalence';
import { parseManifests } from '../../lib/validate/documents';
import { type CliResult, ROOT, runProcess, tempDir } from '../cli/support';
import type { Obj } from '../support';

export const CHART = join(ROOT, 'helm-wrapper');
export const MAJORS: HelmMajor[] = [3, 4];

/** Runs the real Helm binary of that major version (from node_modules). */
export function helm(major: HelmMajor, args: readonly string[]): Promise<CliResult> {
  return runProcess(ensureHelm(major), args, { env: { HELM_CACHE_HOME: join(tmpdir(), 'helm-cache'), HELM_CONFIG_HOME: join(tmpdir(), 'helm-config'), HELM_DATA_HOME: join(tmpdir(), 'helm-data') } });
}

/** `helm template <release> <chart> ...args`, parsed; fails the test on a Helm error. */
export async function template(major: HelmMajor, args: readonly string[], release = 'todo', chart = CHART): Promise<Obj[]> {
  const r = await helm(major, ['template', release, chart, ...args]);
  if (r.code !== 0) throw new Error(`helm ${major} template failed: ${r.stderr}`);
  return parseManifests(r.stdout).map((i) => i.object as Obj);
}

/** The objects of a committed dist/<env>/ folder. */
export function distObjects(env: string): Obj[] {
  const dir = join(ROOT, 'dist', env);
  return readdirSync(dir).sort().flatMap((f) => parseManifests(readFileSync(join(dir, f), 'utf8')).map((i) => i.object as Obj));
}

/** `Kind/name path` for every difference between two renders, objects matched by kind and name. */
export function changes(before: Obj[], after: Obj[]): string[] {
  const key = (o: Obj) => `${o.kind}/${o.metadata.name}`;
  const a = new Map(before.map((o) => [key(o), o]));
  const b = new Map(after.map((o) => [key(o), o]));
  const out: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    if (!a.has(k)) out.push(`${k} added`);
    else if (!b.has(k)) out.push(`${k} removed`);
    else out.push(...diffPaths(a.get(k), b.get(k)).map((p) => `${k} ${p}`));
  }
  return out.sort();
}

/** Synth's objects for `npm run synth -- --values FILES --set SETS` (one environment: the asked one, else local). */
export function synthObjects(files: readonly string[], sets: readonly string[] = [], env?: string): Obj[] {
  const overlays = loadOverlays(todoApp, files, sets, () => undefined);
  const envs = env ? [env] : chooseEnvironments(todoApp, [], overlays);
  return renderEnvironments(todoApp, envs.length === 1 ? envs : ['local'], overlays)[0].objects;
}

/** What synth makes of those values: its objects, or the lines it refuses them with. */
export type SynthOutcome = { readonly refused: string } | { readonly objects: Obj[] };

export function synthOutcome(files: readonly string[], sets: readonly string[] = []): SynthOutcome {
  try {
    return { objects: synthObjects(files, sets) };
  } catch (e) {
    if (e instanceof CheckFailedError) return { refused: e.lines.join('\n') };
    if (e instanceof ValuesError || e instanceof UsageError) return { refused: e.message };
    throw e;
  }
}

/** The lines synth refuses those values with; fails if it renders them. */
export function synthRefusal(files: readonly string[], sets: readonly string[] = []): string {
  const outcome = synthOutcome(files, sets);
  if ('objects' in outcome) throw new Error('synth rendered');
  return outcome.refused;
}

/** `helm template` read as Go reads it (kubectl); throws Helm's error. */
export async function helmObjects(major: HelmMajor, args: readonly string[], release = 'todo'): Promise<Obj[]> {
  const r = await helm(major, ['template', release, CHART, ...args]);
  if (r.code !== 0) throw new Error(r.stderr);
  return readWithGo(r.stdout) as Obj[];
}

/** A values file (JSON, which YAML readers read alike) in a fresh folder. */
export function valuesFile(values: object): string {
  const file = join(tempDir('todo-stack-values-'), 'values.json');
  writeFileSync(file, JSON.stringify(values));
  return file;
}

/**
 * An umbrella chart (`platform`) with a copy of this chart as its subchart, and the given
 * values.yaml; with `aliases`, the chart is a dependency once under each alias.
 */
export function umbrellaChart(valuesYaml: string, aliases: readonly string[] = []): string {
  const umbrella = tempDir('todo-stack-umbrella-');
  mkdirSync(join(umbrella, 'charts'));
  cpSync(CHART, join(umbrella, 'charts', 'todo-stack'), { recursive: true });
  const dependency = (alias?: string) => `  - name: todo-stack\n    version: ${CHART_VERSION}\n${alias ? `    alias: ${alias}\n` : ''}`;
  const dependencies = aliases.length ? aliases.map(dependency).join('') : dependency();
  writeFileSync(join(umbrella, 'Chart.yaml'), `apiVersion: v2\nname: platform\nversion: 1.0.0\ndependencies:\n${dependencies}`);
  writeFileSync(join(umbrella, 'values.yaml'), valuesYaml);
  return umbrella;
}
