import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PropError } from '../../constructs';
import { type AppDefinition, checkEnvironment } from '../app/definition';
import { controlCharacterProblems } from '../values/control-characters';
import { formatProblem, ValuesError, type ValuesProblem } from '../values/problems';
import type { KubeVersion } from '../validate/api-versions';
import type { KubeObject } from '../validate/rule';
import { manifestFiles } from '../output/manifest-files';
import { YamlEmitError } from '../output/yaml-emitter';
import { OutputBusyError, type OutputTree, STAGING_DIR, staleFiles, withOutputLock, writeTreesAtomically } from '../output/output-tree';
import { environmentSummary } from '../output/summary';
import { validateObjects, type ValidationReport } from '../validate/validator';
import { BUSY_EXIT, CheckFailedError, FILE_SYSTEM_EXIT, fileSystemErrorLine, npmSwallowedFlags, reportInputError, UsageError } from './errors';
import { readUserValues } from './helm-values';
import { ChartCompileError } from '../helm/trace-bindings';
import { verifyChart } from '../helm/verify-chart';
import { cachedByCode } from '../tools/code-identity';
import { parseSynthArgs, SYNTH_USAGE } from './synth-args';

/** Where the synth reads and writes, and where it prints. */
export interface SynthIo {
  /** Repository root: `dist/` and `helm-wrapper/` are resolved against it. */
  readonly root: string;
  /**
   * cdk8s's own output folder (CDK8S_OUTDIR, under `cdk8s synth`). `dist/` is written exactly as
   * `npm run synth` writes it; this folder gets a copy of the manifests, for cdk8s to list.
   * cdk8s deletes this folder before every run, so it is never `dist/`.
   */
  readonly cdk8sOutdir?: string;
  /** The environment, for flags that npm took for itself (`npm_config_*`). @default {} */
  readonly env?: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** One environment, rendered and validated in memory. */
export interface RenderedEnvironment<Values = unknown> {
  readonly environment: string;
  readonly values: Values;
  readonly objects: KubeObject[];
  readonly report: ValidationReport;
}

/**
 * The user's values, read by Helm itself (lib/cli/helm-values.ts): the files in order, then every
 * --set parsed into them. Each file is also checked alone, so that a problem names its file. One
 * overlay, in which null means "the preset".
 */
export function loadOverlays<O>(app: AppDefinition<unknown, O>, valuesFiles: readonly string[], sets: readonly string[], warn: (line: string) => void): O[] {
  if (!valuesFiles.length && !sets.length) return [];
  const problems: ValuesProblem[] = [];
  const texts: Array<{ path: string; text: string }> = [];
  for (const path of valuesFiles) {
    try {
      texts.push({ path, text: readFileSync(path, 'utf8') });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push({ source: path, path: '(file)', message: code === 'ENOENT' ? 'no such values file' : `cannot read: ${code ?? (e as Error).message}` });
    }
  }
  if (problems.length) throw new ValuesError(problems);
  const read = readUserValues(texts, sets);
  for (const w of read.warnings) warn(`warning: ${w.source}: ${w.path}: ${w.message}`);
  const setSyntax = read.problems.filter((p) => p.source === '--set');
  if (setSyntax.length) throw new UsageError(setSyntax.map((p) => `--set ${p.message}`).join('; '));
  if (read.problems.length) throw new ValuesError(read.problems.map((p) => ({ source: p.source, path: '(yaml)', message: p.message })));
  for (const file of read.files) problems.push(...controlCharacterProblems(file.data, file.source));
  if (!problems.length && sets.length) problems.push(...controlCharacterProblems(read.data, '--set'));
  if (problems.length) throw new ValuesError(problems);
  for (const file of read.files) {
    try {
      app.checkOverlay(file.source, file.data);
    } catch (e) {
      if (!(e instanceof ValuesError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length) throw new ValuesError(problems);
  return [app.checkOverlay(sets.length ? '--set' : valuesFiles.join(', '), read.data)];
}

export function chooseEnvironments<O>(app: AppDefinition<unknown, O>, requested: readonly string[], overlays: readonly O[]): string[] {
  const fromValues = app.environmentOf(overlays);
  if (requested.length) {
    const envs = [...new Set(requested.map((e) => checkEnvironment(app.environments, e, '--env')))];
    if (fromValues && !envs.every((e) => e === fromValues)) {
      throw new ValuesError([{ source: '--values/--set', path: 'environment', message: `says ${fromValues}, but --env asks for ${envs.join(', ')}; drop one of them` }]);
    }
    return envs;
  }
  return fromValues ? [fromValues] : [...app.environments];
}

/** Resolves, synthesizes and validates the environments; throws CheckFailedError listing every problem. */
export function renderEnvironments<V, O>(app: AppDefinition<V, O>, envs: readonly string[], overlays: readonly O[], warn: (line: string) => void = () => undefined, kubernetesVersion?: KubeVersion): RenderedEnvironment<V>[] {
  const lines: string[] = [];
  const rendered: RenderedEnvironment<V>[] = [];
  for (const environment of envs) {
    try {
      const values = app.resolveValues(environment, overlays, envs.length > 1 ? `${environment}` : 'values');
      const objects = app.synthesize(values);
      const report = validateObjects(objects.map((object) => ({ object, file: `dist/${environment}` })), { kubernetesVersion });
      for (const f of report.findings) {
        if (f.status === 'warning') warn(`warning: ${environment}: ${f.line}`);
        else lines.push(`${environment}: ${f.line}`);
      }
      rendered.push({ environment, values, objects, report });
    } catch (e) {
      if (e instanceof ValuesError) lines.push(...e.problems.map(formatProblem));
      else if (e instanceof PropError) lines.push(`${environment}: ${e.message}`);
      else throw e;
    }
  }
  if (lines.length) throw new CheckFailedError([...new Set(lines)], 'synth failed: nothing was written');
  return rendered;
}

/** The flags npm would take for itself without `--`. */
const SYNTH_FLAGS = ['check', 'env', 'values', 'set', 'root', 'quiet'];

/**
 * Everything one synth writes: `dist/<env>/` of the environments it synthesized (with the
 * overrides), and `helm-wrapper/` from the presets alone, when every environment was synthesized.
 * The chart never takes a one-off `--values`/`--set`: its values files are the presets.
 */
function outputTrees<V, O>(app: AppDefinition<V, O>, rendered: readonly RenderedEnvironment<V>[], envs: readonly string[], overlays: readonly O[]): OutputTree[] {
  const trees: OutputTree[] = rendered.map((r) => ({ dir: `dist/${r.environment}`, files: manifestFiles(r.objects) }));
  if (app.environments.every((e) => envs.includes(e))) {
    const presets = overlays.length
      ? app.environments.map((environment) => {
        const values = app.resolveValues(environment, [], environment);
        return { environment, values, objects: app.synthesize(values) };
      })
      : rendered;
    let files: Map<string, string>;
    try {
      // The chart is a pure function of the code and the presets: compiled once per pair.
      files = cachedByCode('chart-compiled', presets.map((p) => [p.environment, p.values]), () => app.generateChart(presets), (m) => [...m], (d) => new Map(d as Array<[string, string]>));
    } catch (e) {
      if (e instanceof ChartCompileError) throw new CheckFailedError(e.lines.map((l) => `chart: ${l}`), 'synth failed: the chart compiler cannot compile the stack; nothing was written');
      throw e;
    }
    const problems = verifyChart(files, presets, { ...app.chart, references: app.chart.references?.() });
    if (problems.length) throw new CheckFailedError(problems, 'synth failed: the generated chart does not render what dist/ holds; nothing was written');
    trees.push({ dir: 'helm-wrapper', files });
  }
  return trees;
}

/** `--check`: recovers a killed run first (under the lock) if one left its staging folder. */
function checkTrees(root: string, trees: readonly OutputTree[], io: SynthIo, quiet: boolean): number {
  const stale = existsSync(resolve(root, STAGING_DIR)) ? withOutputLock(root, () => staleFiles(root, trees)) : staleFiles(root, trees);
  if (stale.length) throw new CheckFailedError(stale.map((f) => `stale: ${f}`), `${stale.length} generated file(s) are stale; run npm run synth and commit the result`);
  if (!quiet) io.out(`up to date: ${trees.map((t) => t.dir).join(', ')}`);
  return 0;
}

/** Runs `npm run synth` for an app; returns the exit code. */
export function runSynth<V, O>(app: AppDefinition<V, O>, argv: readonly string[], io: SynthIo): number {
  try {
    const swallowed = npmSwallowedFlags('synth', SYNTH_FLAGS, io.env ?? {});
    if (swallowed) throw swallowed;
    const args = parseSynthArgs(argv);
    if (args.help) {
      io.out(SYNTH_USAGE);
      return 0;
    }
    const root = args.root ?? io.root;
    const overlays = loadOverlays(app, args.valuesFiles, args.sets, io.err);
    const envs = chooseEnvironments(app, args.envs, overlays);
    const rendered = renderEnvironments(app, envs, overlays, io.err);
    const trees = outputTrees(app, rendered, envs, overlays);
    if (args.check) return checkTrees(root, trees, io, args.quiet);

    const written = writeTreesAtomically(root, trees, { onWait: (pid) => io.err(`waiting for another synth (pid ${pid}) to finish writing ${root}`) });
    if (io.cdk8sOutdir) copyForCdk8s(resolve(root, io.cdk8sOutdir), trees);
    if (!args.quiet) {
      for (const r of rendered) io.out(environmentSummary(r.environment, r.objects, r.report, app.budgetOf(r.environment)));
      for (const t of trees) io.out(`${written.includes(t.dir) ? 'wrote' : 'up to date'}: ${t.dir}/ (${t.files.size} files)`);
    }
    return 0;
  } catch (e) {
    const input = reportInputError(e, io.err, SYNTH_USAGE, { values: 'synth failed: nothing was written' });
    if (input !== undefined) return input;
    if (e instanceof YamlEmitError) {
      io.err(`error: cannot write ${e.message}`);
      io.err('synth failed: nothing was written');
      return 1;
    }
    if (e instanceof OutputBusyError) {
      io.err(`error: ${e.message}`);
      return BUSY_EXIT;
    }
    const fsLine = fileSystemErrorLine(e);
    if (fsLine) {
      io.err(`error: ${fsLine}`);
      io.err('synth failed: dist/ and helm-wrapper/ are as they were');
      return FILE_SYSTEM_EXIT;
    }
    throw e;
  }
}

/** The manifests, copied into cdk8s's own output folder (which cdk8s empties before each run). */
function copyForCdk8s(outdir: string, trees: readonly OutputTree[]): void {
  for (const tree of trees.filter((t) => t.dir.startsWith('dist/'))) {
    const dir = join(outdir, tree.dir.slice('dist/'.length));
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of tree.files) writeFileSync(join(dir, name), content);
  }
}
