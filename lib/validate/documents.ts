import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { loadAll, YAMLException } from 'js-yaml';
import { GO_YAML_SCHEMA, goYaml } from '../output/go-yaml';
import type { ValidationInput } from './validator';

/**
 * YAML read as kubectl reads it (lib/output/go-yaml.ts): go-yaml v2's YAML 1.1 resolution
 * (`yes` is true, `0644` is 420), timestamps as strings, then JSON (a NaN or an infinity is an
 * error, as kubectl's conversion to JSON fails on it); duplicated keys are errors. js-yaml, not
 * the `yaml` library: on 2 MB of manifests it parses in 154 ms where the `yaml` library's
 * documents take 1,766 ms (warm, in-process, median of 7), which matters at 10,000 objects
 * (BENCHMARKS.md).
 */
const OPTIONS = { schema: GO_YAML_SCHEMA, json: false } as const;

/** The first path in a document holding a number JSON cannot carry (NaN, an infinity). */
/** True when a number that is not finite is anywhere in the node (checked before any path is built). */
function hasNonFinite(node: unknown): boolean {
  if (typeof node === 'number') return !Number.isFinite(node);
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node)) {
    for (const item of node) if (hasNonFinite(item)) return true;
    return false;
  }
  for (const key in node) if (hasNonFinite((node as Record<string, unknown>)[key])) return true;
  return false;
}

function unsendable(node: unknown, path = ''): string | undefined {
  if (!path && !hasNonFinite(node)) return undefined;
  if (typeof node === 'number') return Number.isFinite(node) ? undefined : path || '/';
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      const found = unsendable(v, Array.isArray(node) ? `${path}[${k}]` : `${path}/${k}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** `file:line` of a YAML error, with the line counted from the start of the file. */
function where(file: string | undefined, e: YAMLException, lineOffset: number): string | undefined {
  const line = e.mark ? e.mark.line + 1 + lineOffset : undefined;
  return file && line ? `${file}:${line}` : file;
}

function reasonOf(e: YAMLException): string {
  return (e.reason || e.message.split('\n')[0]).replace(/^./, (c) => c.toUpperCase());
}

/** Splits a stream at `---` lines, keeping each document's first line number. */
function splitDocuments(text: string): Array<{ text: string; line: number }> {
  const lines = text.split('\n');
  const docs: Array<{ text: string; line: number }> = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || /^---(\s|$)/.test(lines[i])) {
      if (i > start) docs.push({ text: lines.slice(start, i).join('\n'), line: start });
      start = i;
    }
  }
  return docs;
}

function pushObject(out: ValidationInput[], object: unknown, file?: string): void {
  if (object === null || object === undefined) return;
  const bad = unsendable(object);
  if (bad) {
    out.push({ file, error: `${bad}: a NaN or infinity (.nan, .inf) cannot be sent: kubectl's conversion to JSON fails on it` });
    return;
  }
  const o = object as Record<string, unknown>;
  if (typeof o === 'object' && !Array.isArray(o) && o.kind === 'List' && 'items' in o) {
    for (const item of (o.items as unknown[] | null) ?? []) out.push({ file, object: item as Record<string, unknown> });
    return;
  }
  out.push({ file, object: o });
}

/**
 * Splits YAML or JSON text into validation inputs: one per document, `kind: List` items
 * expanded, empty and comment-only documents skipped, and a document that does not parse
 * (bad syntax, a duplicated key) reported as an error with its line, the others still read.
 */
export function parseManifests(text: string, file?: string): ValidationInput[] {
  const out: ValidationInput[] = [];
  try {
    loadAll(text, (doc) => pushObject(out, doc, file), OPTIONS);
    return out;
  } catch (e) {
    if (!(e instanceof YAMLException)) throw e;
  }
  out.length = 0;
  for (const doc of splitDocuments(text)) {
    try {
      loadAll(doc.text, (d) => pushObject(out, d, file), OPTIONS);
    } catch (e) {
      if (!(e instanceof YAMLException)) throw e;
      out.push({ file: where(file, e, doc.line), error: reasonOf(e) });
    }
  }
  return out;
}

/** Above this size, a second thread parses half of the text (BENCHMARKS.md: 10,000 objects). */
export const PARALLEL_PARSE_BYTES = 2 * 1024 * 1024;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const jsYaml = require(workerData.jsYaml);
const { schema } = (GO_YAML_FACTORY)(jsYaml);
const docs = [];
let error;
try {
  jsYaml.loadAll(workerData.text, (d) => docs.push(d), { schema, json: false });
} catch (e) {
  error = String(e && e.message);
}
workerData.port.postMessage({ docs, error });
Atomics.store(workerData.done, 0, 1);
Atomics.notify(workerData.done, 0);
`;

/**
 * Like parseManifests, but a large text is cut at a document boundary near its middle and the
 * second half is parsed on a worker thread while this one parses the first. The call stays
 * synchronous (Atomics.wait). A half that fails to parse is parsed again here, document by
 * document, so errors are reported exactly as parseManifests reports them.
 */
export function parseManifestsParallel(text: string, file?: string): ValidationInput[] {
  if (text.length < PARALLEL_PARSE_BYTES) return parseManifests(text, file);
  const cut = text.indexOf('\n---', Math.floor(text.length / 2));
  if (cut < 0) return parseManifests(text, file);
  const first = text.slice(0, cut + 1);
  const second = text.slice(cut + 1);
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE.replace('GO_YAML_FACTORY', () => goYaml.toString()), {
    eval: true,
    workerData: { text: second, port: port2, done, jsYaml: require.resolve('js-yaml') },
    transferList: [port2],
  });
  try {
    const head = parseManifests(first, file);
    Atomics.wait(done, 0, 0);
    const message = receiveMessageOnPort(port1)?.message as { docs: unknown[]; error?: string } | undefined;
    if (!message || message.error !== undefined || head.some((i) => i.error !== undefined)) return parseManifests(text, file);
    const tail: ValidationInput[] = [];
    for (const doc of message.docs) pushObject(tail, doc, file);
    return [...head, ...tail];
  } finally {
    port1.close();
    void worker.terminate();
  }
}

/** Files under a path: the file itself, or every .yaml/.yml/.json below a folder, sorted. */
export function manifestPaths(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const p = join(path, e.name);
      if (e.isDirectory()) return manifestPaths(p);
      return /\.(ya?ml|json)$/i.test(e.name) ? [p] : [];
    });
}

/** Reads and parses one manifest file. */
export function readManifestFile(path: string): ValidationInput[] {
  return parseManifestsParallel(readFileSync(path, 'utf8'), path);
}
