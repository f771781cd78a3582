import * as jsYaml from 'js-yaml';

/**
 * How Go reads YAML: go-yaml v2's resolution of plain scalars (YAML 1.1: `yes` and `on` are
 * true, `010` is octal 8, `1_000` is 1000), which Helm (values files) and kubectl
 * (sigs.k8s.io/yaml, for manifests) both use, then the trip through JSON. One implementation:
 * the validator reads manifests with it (lib/validate/documents.ts), and synth names the keys Helm
 * reads otherwise than YAML 1.2 with it (lib/cli/helm-values.ts; Helm itself reads the values).
 * Timestamps stay strings: go-yaml v2 decodes them into interface{} as the text.
 */

/** A plain scalar as go-yaml resolves it; `uint64` marks an integer only ParseUint could read. */
export type Resolved = { readonly kind: 'null' | 'bool' | 'int' | 'float'; readonly value: unknown; readonly uint64?: boolean } | undefined;

/**
 * The resolver and the js-yaml schema built on it, from js-yaml itself. Self-contained (it uses
 * nothing from this module), so that a worker thread can rebuild it from its source text
 * (lib/validate/documents.ts parses large inputs on two threads).
 */
export function goYaml(yaml: typeof jsYaml): { resolve: (s: string) => Resolved; schema: jsYaml.Schema; merge: jsYaml.Type } {
  const RESOLVE_MAP: ReadonlyMap<string, Resolved> = new Map<string, Resolved>([
    ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, { kind: 'bool', value: true }] as const),
    ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, { kind: 'bool', value: false }] as const),
    ...['', '~', 'null', 'Null', 'NULL'].map((s) => [s, { kind: 'null', value: null }] as const),
    ...['.nan', '.NaN', '.NAN'].map((s) => [s, { kind: 'float', value: Number.NaN }] as const),
    ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, { kind: 'float', value: Number.POSITIVE_INFINITY }] as const),
    ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, { kind: 'float', value: Number.NEGATIVE_INFINITY }] as const),
  ]);

  /** go-yaml's hint from the first character: which resolutions can apply at all. */
  function hintOf(s: string): 'N' | 'M' | '.' | 'D' | 'S' | undefined {
    if (s === '') return 'N';
    const c = s[0];
    if (c === '+' || c === '-') return 'S';
    if (c >= '0' && c <= '9') return 'D';
    if ('yYnNtTfFoO~'.includes(c)) return 'M';
    if (c === '.') return '.';
    return undefined;
  }

  const DIGITS: Readonly<Record<number, RegExp>> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };

  /** strconv.ParseInt/ParseUint(s, 0, 64): sign (signed only), 0x/0o/0b or leading-0 octal prefix. */
  function goParseInteger(s: string, signed: boolean): bigint | undefined {
    let rest = s;
    let negative = false;
    if (rest[0] === '+' || rest[0] === '-') {
      if (!signed) return undefined;
      negative = rest[0] === '-';
      rest = rest.slice(1);
    }
    let base = 10;
    if (rest.length > 1 && rest[0] === '0') {
      const p = rest[1].toLowerCase();
      if (p === 'x') [base, rest] = [16, rest.slice(2)];
      else if (p === 'b') [base, rest] = [2, rest.slice(2)];
      else if (p === 'o') [base, rest] = [8, rest.slice(2)];
      else [base, rest] = [8, rest.slice(1)];
    }
    if (!DIGITS[base].test(rest)) return undefined;
    let magnitude = 0n;
    for (const digit of rest) magnitude = magnitude * BigInt(base) + BigInt(Number.parseInt(digit, 16));
    const value = negative ? -magnitude : magnitude;
    const [min, max] = signed ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
    return value >= min && value <= max ? value : undefined;
  }

  const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
  const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

  /** go-yaml v2's resolve() of an untagged plain scalar; undefined means it stays a string. */
  function resolveGoYaml(s: string): Resolved {
    const hint = hintOf(s);
    if (hint === undefined) return undefined;
    if (RESOLVE_MAP.has(s)) return RESOLVE_MAP.get(s);
    if (hint === '.') return DOT_FLOAT.test(s) ? { kind: 'float', value: Number(s) } : undefined;
    if (hint !== 'D' && hint !== 'S') return undefined;
    const plain = s.replace(/_/g, '');
    const int = goParseInteger(plain, true);
    if (int !== undefined) return { kind: 'int', value: Number(int) };
    const uint = goParseInteger(plain, false);
    if (uint !== undefined) return { kind: 'int', value: Number(uint), uint64: true };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = Number(plain);
      if (Number.isFinite(f)) return { kind: 'float', value: f }; // Go: out of range is an error, so a string
    }
    return undefined;
  }

  // js-yaml asks each implicit type in turn, then constructs: one resolution serves them all.
  let lastText: string | undefined;
  let lastResolved: Resolved;
  const resolved = (data: string): Resolved => {
    if (data !== lastText) [lastText, lastResolved] = [data, resolveGoYaml(data)];
    return lastResolved;
  };
  /** Each kind of plain scalar go-yaml types, as a js-yaml implicit type: the rest stays a string. */
  const goType = (tag: string, kind: 'null' | 'bool' | 'int' | 'float') => new yaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (data: string | null) => (data === null ? kind === 'null' : resolved(data)?.kind === kind),
    construct: (data: string | null) => (data === null ? null : resolved(data)?.value),
  });
  /** The merge key `<<`, which go-yaml v2 merges. */
  const merge = new yaml.Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<' || data === null });
  const schema = yaml.FAILSAFE_SCHEMA.extend({ implicit: [goType('null', 'null'), goType('bool', 'bool'), goType('int', 'int'), goType('float', 'float'), merge] });
  return { resolve: resolveGoYaml, schema, merge };
}

const GO_YAML = goYaml(jsYaml);

/** go-yaml v2's resolve() of an untagged plain scalar; undefined means it stays a string. */
export const resolveGoYaml = GO_YAML.resolve;

/** A js-yaml schema that reads plain scalars as go-yaml v2 does (kubectl, Helm). */
export const GO_YAML_SCHEMA = GO_YAML.schema;

/** The merge key `<<` as a js-yaml type, for a schema of another YAML version. */
export const MERGE_KEY_TYPE = GO_YAML.merge;

/** Go's strconv.FormatFloat(f, 'g', -1, 32), as sigs.k8s.io/yaml writes a float key. */
export function formatFloatKey(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  const single = Math.fround(f);
  if (single === 0) return Object.is(single, -0) ? '-0' : '0';
  let digits = '';
  let exponent = 0;
  for (let p = 1; p <= 9; p++) {
    const [mantissa, exp] = Math.abs(single).toExponential(p - 1).split('e');
    if (Math.fround(Number(`${mantissa}e${exp}`)) === Math.abs(single)) {
      digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
      exponent = Number(exp);
      break;
    }
  }
  const sign = single < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 6) {
    const e = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.padEnd(exponent + 1, '0');
  return `${sign}${whole.slice(0, exponent + 1)}${whole.length > exponent + 1 ? `.${whole.slice(exponent + 1)}` : ''}`;
}



