import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ValidationInput } from './validator';

/**
 * Splits YAML or JSON text into validation inputs: one per document, `kind: List` items
 * expanded, empty and comment-only documents skipped, duplicated keys reported as errors.
 */
export function parseManifests(text: string, file?: string): ValidationInput[] {
  const out: ValidationInput[] = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true })) {
    if (doc.errors.length) {
      const err = doc.errors[0];
      const pos = err.linePos?.[0];
      out.push({ file: pos && file ? `${file}:${pos.line}` : file, error: err.message.split('\n')[0].replace(/:$/, '') });
      continue;
    }
    const object = doc.toJS({ maxAliasCount: 100 });
    if (object === null || object === undefined) continue;
    if (typeof object === 'object' && !Array.isArray(object) && object.kind === 'List' && 'items' in object) {
      for (const item of object.items ?? []) out.push({ file, object: item });
      continue;
    }
    out.push({ file, object });
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
