import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import { ValidationInput } from './validator';

/**
 * YAML parsing with js-yaml's core schema: JSON-compatible values only (a timestamp stays a
 * string, as in Kubernetes), duplicated keys are errors. It is several times faster than a
 * full-document YAML library, which matters at 10,000 objects (BENCHMARKS.md).
 */
const OPTIONS = { schema: CORE_SCHEMA, json: false } as const;

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
  return parseManifests(readFileSync(path, 'utf8'), path);
}
