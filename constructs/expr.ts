import { createHash } from 'node:crypto';
import { parseQuantity, QUANTITY_PATTERN } from './quantity';

/**
 * A small expression language over the resolved values, with two back ends: `evaluate` (synth,
 * in JavaScript) and `toGo` (the chart, as a Go template pipeline). A rule written once as an
 * `Expr` is therefore enforced by synth and by Helm alike, with the same message.
 *
 * Numbers are float64 on the Go side (the chart reads values through `fromJson`), so every
 * number literal and every arithmetic result is a float64 there, and comparisons never mix kinds.
 */
export type Expr =
  | { readonly op: 'ref'; readonly path: readonly string[]; readonly root?: 'user' | 'preset' }
  | { readonly op: 'lit'; readonly value: string | number | boolean }
  | { readonly op: 'quantity'; readonly arg: Expr }
  | { readonly op: 'add' | 'mul'; readonly args: readonly Expr[] }
  | { readonly op: 'round'; readonly arg: Expr }
  | { readonly op: 'lt' | 'le' | 'gt' | 'ge'; readonly a: Expr; readonly b: Expr }
  | { readonly op: 'eq' | 'ne'; readonly a: Expr; readonly b: Expr }
  | { readonly op: 'and' | 'or'; readonly args: readonly Expr[] }
  | { readonly op: 'not'; readonly arg: Expr }
  | { readonly op: 'if'; readonly cond: Expr; readonly then: Expr; readonly else: Expr }
  | { readonly op: 'format'; readonly parts: ReadonlyArray<string | Expr> }
  | { readonly op: 'release' }
  | { readonly op: 'length'; readonly arg: Expr }
  | { readonly op: 'slice'; readonly arg: Expr; readonly start: number; readonly end: number }
  | { readonly op: 'sha256'; readonly arg: Expr }
  | { readonly op: 'contains'; readonly haystack: Expr; readonly needle: Expr }
  | { readonly op: 'trimSuffix'; readonly arg: Expr; readonly suffix: string }
  | { readonly op: 'matches'; readonly arg: Expr; readonly pattern: RegExp }
  | { readonly op: 'sharesKey'; readonly a: Expr; readonly b: Expr }
  | { readonly op: 'let'; readonly name: string; readonly value: Expr; readonly body: Expr }
  | { readonly op: 'use'; readonly name: string };

/** A value at a dotted path of the resolved values (`backend.autoscaling.minReplicas`). */
export const ref = (path: string): Expr => ({ op: 'ref', path: path.split('.') });
/** A value at a dotted path of what the user set (values files and --set), before the preset. */
export const userRef = (path: string): Expr => ({ op: 'ref', path: path.split('.'), root: 'user' });
/** A value at a dotted path of the chosen environment's preset, before anything the user set. */
export const presetRef = (path: string): Expr => ({ op: 'ref', path: path.split('.'), root: 'preset' });
/** A literal string, number or boolean. */
export const lit = (value: string | number | boolean): Expr => ({ op: 'lit', value });
/** A Kubernetes quantity in base units (cores, bytes). */
export const quantity = (arg: Expr): Expr => ({ op: 'quantity', arg });
/** The sum of numbers. */
export const add = (...args: Expr[]): Expr => ({ op: 'add', args });
/** The product of numbers. */
export const mul = (...args: Expr[]): Expr => ({ op: 'mul', args });
/** Rounds to the nearest integer. */
export const round = (arg: Expr): Expr => ({ op: 'round', arg });
/** True when `a` is less than `b`. */
export const lt = (a: Expr, b: Expr): Expr => ({ op: 'lt', a, b });
/** True when `a` is at most `b`. */
export const le = (a: Expr, b: Expr): Expr => ({ op: 'le', a, b });
/** True when `a` is greater than `b`. */
export const gt = (a: Expr, b: Expr): Expr => ({ op: 'gt', a, b });
/** True when `a` is at least `b`. */
export const ge = (a: Expr, b: Expr): Expr => ({ op: 'ge', a, b });
/** True when `a` equals `b` (same kind and value). */
export const eq = (a: Expr, b: Expr): Expr => ({ op: 'eq', a, b });
/** True when `a` differs from `b`. */
export const ne = (a: Expr, b: Expr): Expr => ({ op: 'ne', a, b });
/** True when every argument is truthy. */
export const and = (...args: Expr[]): Expr => ({ op: 'and', args });
/** True when some argument is truthy. */
export const or = (...args: Expr[]): Expr => ({ op: 'or', args });
/** True when the argument is falsy. */
export const not = (arg: Expr): Expr => ({ op: 'not', arg });
/** `then` when `cond` is truthy, else `otherwise`. */
export const when = (cond: Expr, then: Expr, otherwise: Expr): Expr => ({ op: 'if', cond, then, else: otherwise });
/** Text: literal parts as they are, expressions as their values (`%v`). */
export const format = (...parts: Array<string | Expr>): Expr => ({ op: 'format', parts });
/** The release name (Helm's `.Release.Name`; synth's instance name). */
export const release = (): Expr => ({ op: 'release' });
/** The length of a string, in bytes of UTF-8 (as Go's `len`). */
export const length = (arg: Expr): Expr => ({ op: 'length', arg });
/** Characters `start` to `end` of an ASCII string (as sprig's `substr`). */
export const slice = (arg: Expr, start: number, end: number): Expr => ({ op: 'slice', arg, start, end });
/** SHA-256 of a string, as 64 lowercase hex characters (sprig's `sha256sum`). */
export const sha256 = (arg: Expr): Expr => ({ op: 'sha256', arg });
/** True when `haystack` contains `needle`. */
export const contains = (haystack: Expr, needle: Expr): Expr => ({ op: 'contains', haystack, needle });
/** The string without `suffix` at its end. */
export const trimSuffix = (arg: Expr, suffix: string): Expr => ({ op: 'trimSuffix', arg, suffix });
/** True when two maps have a key in common. */
export const sharesKey = (a: Expr, b: Expr): Expr => ({ op: 'sharesKey', a, b });
/** True when the string matches `pattern` (a regular expression both JavaScript and Go read alike). */
export const matches = (arg: Expr, pattern: RegExp): Expr => ({ op: 'matches', arg, pattern });

/**
 * Names a value once and uses it in `body` (`use(name)`): in a named template the chart declares
 * it as a variable (`$name := ...`, see `toGoLines`), so a derived value reads as its steps.
 */
export const let_ = (name: string, value: Expr, body: Expr): Expr => ({ op: 'let', name, value, body });
/** The value a `let_` named. */
export const use = (name: string): Expr => ({ op: 'use', name });

/** A tagged template for `format`: fmt`limit ${ref('a')} is below ${ref('b')}`. */
export function fmt(strings: TemplateStringsArray, ...exprs: Expr[]): Expr {
  const parts: Array<string | Expr> = [];
  strings.forEach((s, i) => {
    if (s) parts.push(s);
    if (i < exprs.length) parts.push(exprs[i]);
  });
  return format(...parts);
}

type Value = string | number | boolean | undefined | null | object;

function lookup(values: unknown, path: readonly string[]): Value {
  let node: any = values;
  for (const key of path) node = node === null || node === undefined ? undefined : node[key];
  return node;
}

const truthy = (v: Value): boolean => Boolean(v) && !(typeof v === 'object' && v !== null && Object.keys(v).length === 0);

/** Go's `%v` for the values rules produce: integers without a point, other numbers shortest. */
function text(v: Value): string {
  if (v === undefined || v === null) return '<nil>';
  return String(v);
}

/** The values an expression reads: the resolved values, and what the user set. */
export interface Scope {
  readonly values: unknown;
  /** Values named by `let_`. */
  readonly names?: Readonly<Record<string, Value>>;
  readonly user?: unknown;
  /** The preset of the environment the values resolve in. */
  readonly preset?: unknown;
  /** The release (instance) name. */
  readonly release?: string;
}

/** Evaluates an expression (synth's side). */
export function evaluate(e: Expr, scope: Scope): Value {
  const values = scope;
  const num = (x: Expr) => Number(evaluate(x, values));
  switch (e.op) {
    case 'ref': return lookup(e.root === 'user' ? scope.user : e.root === 'preset' ? scope.preset : scope.values, e.path);
    case 'lit': return e.value;
    case 'quantity': return parseQuantity(evaluate(e.arg, values) as string);
    case 'add': return e.args.reduce((sum, x) => sum + num(x), 0);
    case 'mul': return e.args.reduce((product, x) => product * num(x), 1);
    case 'round': return Math.round(num(e.arg));
    case 'lt': return num(e.a) < num(e.b);
    case 'le': return num(e.a) <= num(e.b);
    case 'gt': return num(e.a) > num(e.b);
    case 'ge': return num(e.a) >= num(e.b);
    case 'eq': return evaluate(e.a, values) === evaluate(e.b, values);
    case 'ne': return evaluate(e.a, values) !== evaluate(e.b, values);
    case 'and': return e.args.every((x) => truthy(evaluate(x, values)));
    case 'or': return e.args.some((x) => truthy(evaluate(x, values)));
    case 'not': return !truthy(evaluate(e.arg, values));
    case 'if': return truthy(evaluate(e.cond, values)) ? evaluate(e.then, values) : evaluate(e.else, values);
    case 'format': return e.parts.map((p) => (typeof p === 'string' ? p : text(evaluate(p, values)))).join('');
    case 'release': return scope.release;
    case 'length': return Buffer.byteLength(String(evaluate(e.arg, values) ?? ''));
    case 'slice': return String(evaluate(e.arg, values) ?? '').slice(e.start, e.end);
    case 'sha256': return createHash('sha256').update(String(evaluate(e.arg, values) ?? '')).digest('hex');
    case 'contains': return String(evaluate(e.haystack, values) ?? '').includes(String(evaluate(e.needle, values) ?? ''));
    case 'matches': return e.pattern.test(String(evaluate(e.arg, values) ?? ''));
    case 'sharesKey': {
      const b = (evaluate(e.b, values) ?? {}) as object;
      return Object.keys((evaluate(e.a, values) ?? {}) as object).some((k) => Object.hasOwn(b, k));
    }
    case 'let': return evaluate(e.body, { ...scope, names: { ...scope.names, [e.name]: evaluate(e.value, scope) } });
    case 'use': {
      if (!scope.names || !Object.hasOwn(scope.names, e.name)) throw new Error(`expression: ${e.name} is used outside the let_ that names it`);
      return scope.names[e.name];
    }
    case 'trimSuffix': {
      const v = String(evaluate(e.arg, values) ?? '');
      return v.endsWith(e.suffix) ? v.slice(0, v.length - e.suffix.length) : v;
    }
  }
}

/** Evaluates a condition (truthiness as in Go templates: empty strings, maps and 0 are false). */
export function holds(e: Expr, scope: Scope): boolean {
  return truthy(evaluate(e, scope));
}

const goString = (s: string) => JSON.stringify(s).replace(/\\u0000/g, '\\x00');

/**
 * Compiles an expression to a Go template pipeline over `$v` (the resolved values), `$u` (the
 * user's values, `.Values`) and `$p` (the environment's preset). Quantities use the named template `<prefix>.quantity` that
 * `quantityTemplate(prefix)` defines. A missing key reads as nil, as in JavaScript.
 */
export function toGo(e: Expr, prefix: string, names: Readonly<Record<string, string>> = {}): string {
  const go = (x: Expr) => toGo(x, prefix, names);
  const f = (x: Expr) => (isFloat64(x) ? go(x) : `(float64 ${go(x)})`);
  switch (e.op) {
    case 'ref':
      // The resolved values are complete (every key of the schema), so a field chain reads them;
      // what the user set may lack any key, so each step there tolerates a missing map.
      if (e.root === undefined && e.path.every((k) => /^[A-Za-z_]\w*$/.test(k))) return `$v.${e.path.join('.')}`;
      return e.path.reduce((acc, key) => `(get (default dict ${acc}) ${goString(key)})`, { user: '$u', preset: '$p', values: '$v' }[e.root ?? 'values']);
    case 'lit': return typeof e.value === 'string' ? goString(e.value) : typeof e.value === 'number' ? `(float64 ${goString(String(e.value))})` : String(e.value);
    case 'quantity': return `(include "${prefix}.quantity" ${go(e.arg)} | float64)`;
    case 'add': return `(addf ${e.args.map(f).join(' ')})`;
    case 'mul': return `(mulf ${e.args.map(f).join(' ')})`;
    case 'round': return `(round ${f(e.arg)} 0)`;
    case 'lt': case 'le': case 'gt': case 'ge': return `(${e.op} ${f(e.a)} ${f(e.b)})`;
    case 'eq': case 'ne': return `(${e.op} (toJson ${go(e.a)}) (toJson ${go(e.b)}))`;
    case 'and': case 'or': return `(${e.op} ${e.args.map(go).join(' ')})`;
    case 'not': return `(not ${go(e.arg)})`;
    case 'if': return `(ternary ${go(e.then)} ${go(e.else)} ${go(e.cond)})`;
    case 'format': {
      const verbs = e.parts.map((p) => (typeof p === 'string' ? p.replace(/%/g, '%%') : '%v')).join('');
      const args = e.parts.filter((p): p is Expr => typeof p !== 'string').map(go);
      return `(printf ${goString(verbs)}${args.map((a) => ` ${a}`).join('')})`;
    }
    case 'release': return '$.Release.Name';
    case 'length': return `(float64 (len (toString ${go(e.arg)})))`;
    // Padded first: substr fails on a string shorter than start, and ternary evaluates both branches.
    case 'slice': return `(regexReplaceAll "\\x00+$" (substr ${e.start} ${e.end} (printf "%s%s" (toString ${go(e.arg)}) (repeat ${e.end} "\\x00"))) "")`;
    case 'sha256': return `(sha256sum (toString ${go(e.arg)}))`;
    case 'contains': return `(contains (toString ${go(e.needle)}) (toString ${go(e.haystack)}))`;
    case 'trimSuffix': return `(trimSuffix ${goString(e.suffix)} (toString ${go(e.arg)}))`;
    case 'matches': return `(regexMatch ${goString(e.pattern.source)} (toString ${go(e.arg)}))`;
    // The union of two maps is smaller than their sizes added when they share a key.
    case 'sharesKey': return `(lt (len (merge (dict) (default dict ${go(e.a)}) (default dict ${go(e.b)}))) (add (len (default dict ${go(e.a)})) (len (default dict ${go(e.b)}))))`;
    // Inline, a named value is written where it is used; toGoLines declares it once instead.
    case 'let': return toGo(e.body, prefix, { ...names, [e.name]: `(${go(e.value)})` });
    case 'use': {
      const bound = names[e.name];
      if (bound === undefined) throw new Error(`expression: ${e.name} is used outside the let_ that names it`);
      return bound;
    }
  }
}

/** Expressions whose Go form is a float64 already (number literals, arithmetic, lengths, quantities). */
function isFloat64(e: Expr): boolean {
  return (e.op === 'lit' && typeof e.value === 'number') || ['add', 'mul', 'round', 'length', 'quantity'].includes(e.op);
}

/**
 * An expression as the body of a named template: each `let_` on the way to the result becomes a
 * variable declared on a line of its own (`{{- $base := ... -}}`), then the result's action.
 * Go's `ternary` evaluates both branches anyway, so declaring every named value first changes
 * nothing but how it reads.
 */
export function toGoLines(e: Expr, prefix: string): string[] {
  const lines: string[] = [];
  const names: Record<string, string> = {};
  let node = e;
  while (node.op === 'let') {
    if (names[node.name]) throw new Error(`expression: ${node.name} is named twice`);
    lines.push(`{{- $${node.name} := ${layoutGo(toGo(node.value, prefix, names))} -}}`);
    names[node.name] = `$${node.name}`;
    node = node.body;
  }
  lines.push(`{{- ${layoutGo(toGo(node, prefix, names))} -}}`);
  return lines;
}

/**
 * Lays a Go pipeline out over several lines (Go templates allow newlines inside an action): a
 * parenthesized group longer than `width` puts each of its arguments on a line of its own.
 */
export function layoutGo(pipeline: string, base = '', width = 100): string {
  const indent = '  ';
  const tokens: string[] = [];
  for (let i = 0; i < pipeline.length;) {
    const c = pipeline[i];
    if (c === '(' || c === ')') { tokens.push(c); i++; continue; }
    if (c === ' ') { i++; continue; }
    let j = i;
    if (c === '"') { j++; while (j < pipeline.length && pipeline[j] !== '"') j += pipeline[j] === '\\' ? 2 : 1; j++; }
    else while (j < pipeline.length && !' ()'.includes(pipeline[j])) j++;
    tokens.push(pipeline.slice(i, j));
    i = j;
  }
  let at = 0;
  type Node = string | Node[];
  const parse = (): Node => {
    if (tokens[at] !== '(') return tokens[at++];
    at++;
    const items: Node[] = [];
    while (tokens[at] !== ')') items.push(parse());
    at++;
    return items;
  };
  const flat = (n: Node): string => (typeof n === 'string' ? n : `(${n.map(flat).join(' ')})`);
  const print = (n: Node, pad: string): string => {
    const one = flat(n);
    if (typeof n === 'string' || one.length + pad.length <= width) return one;
    const inner = `${pad}${indent}`;
    const [head, ...rest] = n;
    // dict's arguments are key-value pairs: one pair a line.
    const lines = head === 'dict'
      ? Array.from({ length: Math.ceil(rest.length / 2) }, (_, i) => rest.slice(2 * i, 2 * i + 2).map((x) => print(x, inner)).join(' '))
      : rest.map((x) => print(x, inner));
    return `(${print(head, inner)}\n${lines.map((l) => `${inner}${l}`).join('\n')})`;
  };
  const nodes: Node[] = [];
  while (at < tokens.length) nodes.push(parse());
  return nodes.map((n) => print(n, base)).join(' ');
}

/**
 * `<prefix>.quantity`: a Kubernetes quantity in base units, as `parseQuantity` computes it
 * (constructs/quantity.ts), from the same pattern. Call with the quantity string; pipe to float64.
 */
export function quantityTemplate(prefix: string): string {
  const pattern = goString(QUANTITY_PATTERN.source.replace(/\(\?:/g, '(?:'));
  const suffixes = { '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
  const table = Object.entries(suffixes).map(([k, v]) => `${goString(k)} ${goString(String(v))}`).join('\n  ');
  return `{{- define "${prefix}.quantity" -}}
{{- $q := toString . -}}
{{- $pattern := ${pattern} -}}
{{- if not (regexMatch $pattern $q) -}}{{- fail (printf "%q is not a Kubernetes quantity" $q) -}}{{- end -}}
{{- $exponent := regexReplaceAll $pattern $q "\${2}" -}}
{{- if $exponent -}}
{{- float64 $q -}}
{{- else -}}
{{- $multipliers := dict
  ${table} -}}
{{- $number := regexReplaceAll $pattern $q "\${1}" -}}
{{- $suffix := regexReplaceAll $pattern $q "\${3}" -}}
{{- mulf (float64 $number) (float64 (get $multipliers $suffix)) -}}
{{- end -}}
{{- end }}`;
}
