import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureHelm } from '../tools/helm-binaries';
import { parseManifests } from '../validate/documents';
import type { KubeObject } from '../validate/rule';
import { compareObjectSets, isHook } from './equivalence';
import { toYaml } from '../output/manifest-files';

/**
 * Synth renders the chart it generated with the real Helm before anything is written (SPEC S8):
 * the bare chart (its values.yaml) and each `-f values-<env>.yaml` must render, and render the
 * objects synth made for that preset, up to what S8 allows. A chart that Helm refuses, or that
 * differs, is refused naming the values file, the template and the field.
 *
 * A verified pair (chart files and expected objects) is remembered by its SHA-256 in the user's
 * cache folder, so an unchanged chart costs nothing on the next synth.
 */

/** One preset: its name, and the objects synth made of it (what `dist/<env>/` holds). */
export interface PresetObjects {
  readonly environment: string;
  readonly objects: readonly KubeObject[];
}

export interface VerifyOptions {
  /** The release name the presets were synthesized under (their instance). */
  readonly release: string;
  /** The environment a bare `helm install` renders (values.yaml's default). */
  readonly defaultEnvironment: string;
  /**
   * The compiler's reference values (every optional part on) and what the app makes of them
   * under their release: rendered too, so a template action that only the reference exercises
   * (a switch no preset turns) is checked as well.
   */
  readonly references?: ReadonlyArray<{ readonly release: string; readonly values: unknown; readonly objects: readonly KubeObject[] }>;
}

const HELM_MAJOR = 4;

function cacheFile(key: string): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'todo-stack', 'chart-verified', key);
}

function keyOf(files: ReadonlyMap<string, string>, presets: readonly PresetObjects[], options: VerifyOptions): string {
  // Another Helm binary (a new layer package) may render otherwise: its size and time are in the key.
  const helm = statSync(ensureHelm(HELM_MAJOR));
  const hash = createHash('sha256').update(JSON.stringify({ helm: [HELM_MAJOR, helm.size, helm.mtimeMs], options }));
  for (const [path, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) hash.update(`${path}\0${text}\0`);
  for (const p of presets) hash.update(`${p.environment}\0${JSON.stringify(p.objects)}\0`);
  return hash.digest('hex');
}

/** The template each rendered object came from (`# Source: <chart>/templates/...`), by kind and name. */
function sources(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const chunk of stdout.split(/^---\s*$/m)) {
    const source = /^# Source: [^/]+\/(.+)$/m.exec(chunk)?.[1];
    if (!source) continue;
    for (const { object } of parseManifests(chunk)) if (object?.kind) out.set(`${object.kind}/${object.metadata?.name}`, source);
  }
  return out;
}

/** Problems of one render: Helm's refusal, or each object that differs from the preset's. */
function renderProblems(chart: string, preset: PresetObjects, flags: readonly string[], label: string, options: VerifyOptions, release = options.release): string[] {
  const r = spawnSync(ensureHelm(HELM_MAJOR), ['template', release, chart, ...flags], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    // Helm 4 spreads one error over several lines; its advice to use --debug is not ours to give.
    const reason = (r.stderr ?? '').replace(/^Error: /, '').replace(/\n*Use --debug flag[^\n]*\n*$/, '').split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
    return [`chart: helm template ${label}: Helm cannot render the chart: ${reason}`];
  }
  const rendered = parseManifests(r.stdout).map((i) => i.object as KubeObject).filter((o) => o && !isHook(o));
  const from = sources(r.stdout);
  return compareObjectSets(preset.objects, rendered).map((diff) => {
    const key = /^(?:missing in actual|unexpected in actual|differs): (\S+)/.exec(diff)?.[1] ?? '';
    const template = from.get(key);
    return `chart: helm template ${label}: ${diff.replace('missing in actual', 'dist/ has it, the chart does not render it').replace('unexpected in actual', 'the chart renders it, dist/ does not')}${template ? ` (${template})` : ''}`;
  });
}

/** The problems of a generated chart; empty when Helm renders every preset as synth does. */
export function verifyChart(files: ReadonlyMap<string, string>, presets: readonly PresetObjects[], options: VerifyOptions): string[] {
  const key = keyOf(files, presets, options);
  if (existsSync(cacheFile(key))) return [];
  const dir = mkdtempSync(join(tmpdir(), 'todo-stack-chart-check-'));
  try {
    const chart = join(dir, 'chart');
    for (const [path, text] of files) {
      mkdirSync(dirname(join(chart, path)), { recursive: true });
      writeFileSync(join(chart, path), text);
    }
    const problems: string[] = [];
    for (const preset of presets) {
      const valuesFile = `values-${preset.environment}.yaml`;
      if (files.has(valuesFile)) problems.push(...renderProblems(chart, preset, ['-f', join(chart, valuesFile)], `-f ${valuesFile}`, options));
      if (preset.environment === options.defaultEnvironment) problems.push(...renderProblems(chart, preset, [], 'with its values.yaml', options));
    }
    (options.references ?? []).forEach((reference, i) => {
      const file = join(dir, `reference-${i + 1}.yaml`);
      writeFileSync(file, toYaml(reference.values));
      const label = `-f <the compiler's reference values ${i + 1}>`;
      problems.push(...renderProblems(chart, { environment: label, objects: reference.objects }, ['-f', file], label, options, reference.release));
    });
    if (!problems.length) {
      try {
        mkdirSync(dirname(cacheFile(key)), { recursive: true });
        writeFileSync(cacheFile(key), `verified ${new Date().toISOString()}\n`);
      } catch {
        // A home folder that cannot be written only means the next synth checks again.
      }
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
