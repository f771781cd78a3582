import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { ValuesProblem } from '../../apps/todo/values';

/** Reads one YAML values file; problems name the file and line. Duplicated keys are errors. */
export function readValuesFile(path: string): { data: unknown; problems: ValuesProblem[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { data: undefined, problems: [{ source: path, path: '(file)', message: code === 'ENOENT' ? 'no such values file' : `cannot read: ${code ?? (e as Error).message}` }] };
  }
  let data: unknown;
  try {
    data = load(text, { schema: CORE_SCHEMA, filename: path }) ?? {};
  } catch (e) {
    if (!(e instanceof YAMLException)) throw e;
    const source = e.mark ? `${path}:${e.mark.line + 1}:${e.mark.column + 1}` : path;
    return { data: undefined, problems: [{ source, path: '(yaml)', message: e.reason || e.message.split('\n')[0] }] };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { data: undefined, problems: [{ source: path, path: '(root)', message: 'a values file must be a YAML mapping' }] };
  }
  return { data, problems: [] };
}
