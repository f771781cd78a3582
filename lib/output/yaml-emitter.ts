/**
 * A small, fast, deterministic YAML emitter for JSON data (maps, lists, strings, numbers,
 * booleans, null), in the block style kubectl and Helm users read. Strings stay plain only when
 * no YAML 1.1 or 1.2 parser could read them as anything but the same string (go-yaml v2, which
 * Helm uses, still reads `yes`, `on` and `1:20` as non-strings); everything else is written
 * JSON-quoted, which is valid YAML. The `yaml` library's stringify dominated the synth's time;
 * this writes the 62 objects of the three environments in 1.7 ms against its 30.4 ms (warm,
 * in-process, median of 7; BENCHMARKS.md).
 */

const RESERVED = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;
const PLAIN = /^[A-Za-z_/][A-Za-z0-9 _./:@=+,;()%-]*$/;

/** True if the string can be written without quotes and still read back as the same string. */
export function isPlainSafe(s: string): boolean {
  return PLAIN.test(s)
    && !s.endsWith(' ')
    && !s.endsWith(':')
    && !s.includes(': ')
    && !RESERVED.test(s);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return isPlainSafe(value) ? value : JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as YAML`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new Error(`cannot write a ${typeof value} as YAML`);
}

const isCollection = (v: unknown): v is object => typeof v === 'object' && v !== null;
const isEmpty = (v: object) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

function emit(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isCollection(item) && !isEmpty(item)) {
        const lines: string[] = [];
        emit(item, `${indent}  `, lines);
        lines[0] = `${indent}- ${lines[0].slice(indent.length + 2)}`;
        out.push(...lines);
      } else {
        out.push(`${indent}- ${isCollection(item) ? (Array.isArray(item) ? '[]' : '{}') : scalar(item)}`);
      }
    }
    return;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (child === undefined) continue;
    const k = scalar(key);
    if (isCollection(child) && !isEmpty(child)) {
      out.push(`${indent}${k}:`);
      emit(child, Array.isArray(child) ? `${indent}  ` : `${indent}  `, out);
    } else {
      out.push(`${indent}${k}: ${isCollection(child) ? (Array.isArray(child) ? '[]' : '{}') : scalar(child)}`);
    }
  }
}

/** Writes a JSON value as a YAML document (no `---`), ending with a newline. */
export function emitYaml(value: unknown): string {
  if (!isCollection(value)) return `${scalar(value)}\n`;
  if (isEmpty(value)) return Array.isArray(value) ? '[]\n' : '{}\n';
  const out: string[] = [];
  emit(value, '', out);
  return `${out.join('\n')}\n`;
}
