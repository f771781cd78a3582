/**
 * A small, fast, deterministic YAML emitter for JSON data (maps, lists, strings, numbers,
 * booleans, null), in the block style kubectl and Helm users read, written for Go's reader:
 * sigs.k8s.io/yaml over go-yaml v2, which kubectl and Helm use. Every file it writes means to
 * that reader exactly what it meant here (test/output/go-round-trip.test.ts proves it with
 * kubectl's own reader).
 * - A string stays plain only when no YAML 1.1 or 1.2 reader could read it as anything but the
 *   same string (go-yaml v2 still reads `yes`, `on` and `010` as non-strings).
 * - Otherwise it is double-quoted, and every character go-yaml would not read back as itself is
 *   escaped: C0 and C1 controls, DEL, NEL (a line break to YAML 1.1, folded into a space),
 *   U+2028/U+2029 (line breaks too), the BOM and the non-characters U+FFFE/U+FFFF.
 * - A key longer than go-yaml's 1024-character limit for simple keys is written as an explicit
 *   key (`? key`).
 * - What no YAML file read by Go can hold is refused with a {@link YamlEmitError} naming the
 *   path: a lone UTF-16 surrogate (not valid UTF-8), NaN and the infinities.
 * The `yaml` library's stringify dominated the synth's time; this writes the 62 objects of the
 * three environments in a few milliseconds (BENCHMARKS.md).
 */

const RESERVED = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;
const PLAIN = /^[A-Za-z_/][A-Za-z0-9 _./:@=+,;()%-]*$/;
/** go-yaml's simple keys end 1024 characters after they start; keep well inside it. */
const MAX_SIMPLE_KEY = 1000;
/** Characters a double-quoted scalar must escape for go-yaml to read them back as themselves. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's purpose
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NEEDS_ESCAPE_ALL = new RegExp(NEEDS_ESCAPE.source, 'g');
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A value that YAML read by Go cannot hold, with where it is. */
export class YamlEmitError extends Error {
  public constructor(public readonly path: string, public readonly problem: string) {
    super(`${path || '(document)'}: ${problem}`);
    this.name = 'YamlEmitError';
  }
}

/** The problem with a string that no file read by Go can hold, if any. */
export function unwritableStringProblem(s: string): string | undefined {
  const m = LONE_SURROGATE.exec(s);
  if (!m) return undefined;
  const code = m[0].charCodeAt(0).toString(16).toUpperCase();
  return `holds a lone UTF-16 surrogate (U+${code}) at index ${m.index}: it is not valid UTF-8, so Kubernetes cannot store it`;
}

/** True if the string can be written without quotes and still read back as the same string. */
export function isPlainSafe(s: string): boolean {
  return PLAIN.test(s)
    && !s.endsWith(' ')
    && !s.endsWith(':')
    && !s.includes(': ')
    && !RESERVED.test(s);
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\0': '\\0', '\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P',
};

/** A double-quoted YAML scalar that go-yaml reads back as exactly `s`. */
export function quoteYamlString(s: string, path = ''): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  const problem = unwritableStringProblem(s);
  if (problem) throw new YamlEmitError(path, problem);
  return `"${s.replace(NEEDS_ESCAPE_ALL, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

function scalar(value: unknown, path: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return isPlainSafe(value) ? value : quoteYamlString(value, path);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new YamlEmitError(path, `cannot write ${value} as YAML`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new YamlEmitError(path, `cannot write a ${typeof value} as YAML`);
}

const isCollection = (v: unknown): v is object => typeof v === 'object' && v !== null;
const isEmpty = (v: object) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
const inline = (v: object) => (Array.isArray(v) ? '[]' : '{}');

function emit(value: unknown, indent: string, path: string, out: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const at = `${path}[${i}]`;
      if (isCollection(item) && !isEmpty(item)) {
        const lines: string[] = [];
        emit(item, `${indent}  `, at, lines);
        lines[0] = `${indent}- ${lines[0].slice(indent.length + 2)}`;
        out.push(...lines);
      } else {
        out.push(`${indent}- ${isCollection(item) ? inline(item) : scalar(item, at)}`);
      }
    });
    return;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (child === undefined) continue;
    const at = path ? `${path}.${key}` : key;
    const k = scalar(key, at);
    const nested = isCollection(child) && !isEmpty(child);
    if (k.length > MAX_SIMPLE_KEY || Buffer.byteLength(k) > MAX_SIMPLE_KEY) {
      // An explicit key: `? key` on its own line, then `:` and the value.
      out.push(`${indent}? ${k}`);
      if (nested) {
        out.push(`${indent}:`);
        emit(child, `${indent}  `, at, out);
      } else {
        out.push(`${indent}: ${isCollection(child) ? inline(child) : scalar(child, at)}`);
      }
    } else if (nested) {
      out.push(`${indent}${k}:`);
      emit(child, `${indent}  `, at, out);
    } else {
      out.push(`${indent}${k}: ${isCollection(child) ? inline(child) : scalar(child, at)}`);
    }
  }
}

/** Writes a JSON value as a YAML document (no `---`), ending with a newline. */
export function emitYaml(value: unknown): string {
  if (!isCollection(value)) return `${scalar(value, '')}\n`;
  if (isEmpty(value)) return `${inline(value)}\n`;
  const out: string[] = [];
  emit(value, '', '', out);
  return `${out.join('\n')}\n`;
}
