import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ValuesProblem } from '../../apps/todo/values';

/** Reads one YAML values file; problems name the file and line. */
export function readValuesFile(path: string): { data: unknown; problems: ValuesProblem[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { data: undefined, problems: [{ source: path, path: '(file)', message: code === 'ENOENT' ? 'no such values file' : `cannot read: ${code ?? (e as Error).message}` }] };
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length) {
    return {
      data: undefined,
      problems: doc.errors.map((err) => {
        const pos = err.linePos?.[0];
        return { source: pos ? `${path}:${pos.line}:${pos.col}` : path, path: '(yaml)', message: err.message.split('\n')[0] };
      }),
    };
  }
  const data = doc.toJS() ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { data: undefined, problems: [{ source: path, path: '(root)', message: 'a values file must be a YAML mapping' }] };
  }
  return { data, problems: [] };
}
