import { isDeepStrictEqual } from 'node:util';
import { type Expr, toGo } from '../../constructs/expr';
import type { FieldPath, Hole } from './template-builder';

/**
 * Finds which values drive which fields of an app's objects by running the app's own synthesis:
 * each scalar of the reference values is changed alone to another valid value, the stack is
 * synthesized again, and every field that changed is bound to that value, as `$v.<path>`, as
 * one of the chart's derived values (an image reference, a version label), or as text around the
 * value (`printf`). A boolean flipped (or a string emptied) that drops an object or a key makes it
 * conditional on the value; a map or list written as given becomes `toYaml` of the value. Any
 * other change (a field computed from a value, an object that appears or disappears with a
 * number) cannot be compiled and is an error naming both: the chart would otherwise keep the
 * reference's literal and silently differ from synth.
 */

type Obj = Record<string, any>;

/** What the chart compiler cannot compile, one line each: synth refuses the stack with them. */
export class ChartCompileError extends Error {
  public constructor(public readonly lines: readonly string[]) {
    super(`the chart compiler cannot compile the stack: ${lines.join('; ')}`);
    this.name = 'ChartCompileError';
  }
}

/** A named template of the chart that computes a value from others (image, version, ...). */
export interface DerivedValue {
  /** The Go expression that renders it (`include "todo-stack.image.backend" $`). */
  readonly go: string;
  /** What synth computes for these values. */
  readonly evaluate: (values: unknown) => unknown;
}

export interface TraceOptions {
  /**
   * Complete reference values, each with other optional parts on (autoscaling on in one, off in
   * another): each target is traced in the reference it is templated from (`targets`).
   */
  readonly references: readonly unknown[];
  /** Synthesizes the stack; throws when the values are not valid. */
  readonly synthesize: (values: unknown) => readonly Obj[];
  /** The objects to bind, by the key `objectKey` gives them, with the index of their reference. */
  readonly targets: ReadonlyMap<string, number>;
  readonly objectKey: (o: Obj) => string;
  /** Every object some reference has, traced or not (default: the targets). */
  readonly known?: ReadonlySet<string> | ReadonlyMap<string, unknown>;
  /**
   * Fields of a target already templated (names, label sets, a recorded replica decision): not
   * traced. With an empty path: the object's existence is decided elsewhere.
   */
  readonly covered: (key: string, path: FieldPath) => boolean;
  readonly derived: readonly DerivedValue[];
  /** Value paths never changed (`environment`: a preset switch, not a value). */
  readonly skip?: readonly string[];
  /** The JSON schema of complete values: an enum offers its other members as changes. */
  readonly schema?: object;
}

/** What tracing found for one object: its value holes, and the values its existence follows. */
export interface TracedObject {
  readonly holes: Hole[];
  /** Go conditions that must all hold for the object to exist (a boolean that switches it). */
  readonly conditions: string[];
}

/** What tracing has found for one object so far. */
type Found = { holes: Map<string, Hole>; conditions: Set<string> };

type JsonSchema = { enum?: unknown[]; anyOf?: JsonSchema[]; properties?: Record<string, JsonSchema>; items?: JsonSchema; additionalProperties?: boolean | JsonSchema };

/** The members of the enum at a value path of a JSON schema, if it is one. */
const enumAt = (schema: JsonSchema | undefined, path: readonly string[]): unknown[] => schemasAt(schema, path).flatMap((s) => s.enum ?? []);

/** Every scalar of the values, with its dotted path. */
function scalars(node: unknown, path: string[] = []): Array<{ path: string[]; value: string | number | boolean }> {
  if (Array.isArray(node)) return node.flatMap((item, i) => scalars(item, [...path, String(i)]));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => scalars(v, [...path, k]));
  return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean' ? [{ path, value: node }] : [];
}

function setAt(values: unknown, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(values) as Obj;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  node[path[path.length - 1]] = value;
  return copy;
}

/** Other values of the same type, most likely first valid: a number one up, a string changed at its end. */
function alternatives(value: string | number | boolean): Array<string | number | boolean> {
  if (typeof value === 'boolean') return [!value];
  if (typeof value === 'number') return [value + 1, value - 1, value + 2, value * 2];
  const bumped = value.replace(/(\d)(?!.*\d)/, (d) => String((Number(d) + 1) % 10));
  return [...new Set([bumped, `${value}x`, `${value}1`, `x${value}`, 'alt', '9.9.9', ''])].filter((v) => v !== value);
}

const LEAVES = new WeakMap<object, Map<string, { path: FieldPath; value: unknown }>>();

/** The leaves of a reference object, computed once. */
function leavesOf(object: unknown): Map<string, { path: FieldPath; value: unknown }> {
  if (!object || typeof object !== 'object') return leaves(object);
  const known = LEAVES.get(object);
  if (known) return known;
  const computed = leaves(object);
  LEAVES.set(object, computed);
  return computed;
}

/** Every scalar leaf of an object, by path. */
function leaves(node: unknown, path: FieldPath = [], out = new Map<string, { path: FieldPath; value: unknown }>()): Map<string, { path: FieldPath; value: unknown }> {
  if (node && typeof node === 'object') {
    const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node);
    if (entries.length === 0) out.set(JSON.stringify(path), { path, value: node });
    for (const [k, v] of entries) leaves(v, [...path, k], out);
  } else out.set(JSON.stringify(path), { path, value: node });
  return out;
}

const goString = (s: string) => JSON.stringify(s);

/** A reference to a value path given as its keys: a key may hold dots (`marker.example.com/x`). */
const refAt = (path: readonly string[]): Expr => ({ op: 'ref', path: [...path] });

/** The Go expression of a field that changed from `before` to `after` when `path` changed from `old` to `now`. */
function bindingOf(before: unknown, after: unknown, valuePath: string[], old: unknown, now: unknown, derived: readonly DerivedValue[], reference: unknown, changed: unknown): string | undefined {
  const value = toGo(refAt(valuePath), 'unused');
  // A derived value first: a version label equals the tag only while no digest is set.
  for (const d of derived) if (isDeepStrictEqual(d.evaluate(reference), before) && isDeepStrictEqual(d.evaluate(changed), after)) return d.go;
  if (before === old && after === now) return value;
  if (typeof before === 'string' && typeof after === 'string' && (typeof old === 'string' || typeof old === 'number')) {
    const text = String(old);
    const at = before.indexOf(text);
    if (text && at >= 0 && before.indexOf(text, at + 1) < 0 && after === `${before.slice(0, at)}${String(now)}${before.slice(at + text.length)}`) {
      return `printf ${goString(`${before.slice(0, at).replace(/%/g, '%%')}%v${before.slice(at + text.length).replace(/%/g, '%%')}`)} ${value}`;
    }
  }
  return undefined;
}

/** The shortest prefix of `path` that `object` does not hold. */
function missingPrefix(object: unknown, path: FieldPath): FieldPath {
  let node: any = object;
  for (let i = 0; i < path.length; i++) {
    if (node === null || typeof node !== 'object' || !(path[i] in node)) return path.slice(0, i + 1);
    node = node[path[i]];
  }
  return path;
}

/** A Go condition that holds when the value at `path` is as in the reference (`truthy`) or not. */
const conditionOn = (path: readonly string[], truthy: boolean): string => {
  const value = toGo(refAt(path), 'unused');
  return truthy ? value : `not ${value}`;
};

/** The value holes of every target object, and the booleans its existence follows; throws naming what cannot be compiled. */
export function traceBindings(options: TraceOptions): Map<string, TracedObject> {
  const found = new Map<string, Found>([...options.targets.keys()].map((k) => [k, { holes: new Map(), conditions: new Set() }]));
  const problems: string[] = [];
  const skipped = (path: readonly string[]) => (options.skip ?? []).some((s) => path.join('.') === s || path.join('.').startsWith(`${s}.`));
  options.references.forEach((reference, index) => {
    const mine = [...options.targets].filter(([, home]) => home === index).map(([key]) => key);
    if (!mine.length) return;
    const base = new Map(options.synthesize(reference).map((o) => [options.objectKey(o), o]));
    const passed = passThroughs(options, reference, base, mine, skipped, found);
    const inPassThrough = (key: string, field: FieldPath) => (passed.get(key) ?? []).some((p) => p.every((k, i) => field[i] === k));
    const scoped: TraceOptions = { ...options, covered: (key, field) => options.covered(key, field) || (field.length > 0 && inPassThrough(key, field)) };
    for (const { path, value } of scalars(reference)) {
      if (skipped(path)) continue;
      const members = enumAt(options.schema as JsonSchema | undefined, path).filter((m) => m !== value) as Array<string | number | boolean>;
      const change = firstValid(options, reference, path, members.length ? members : alternatives(value));
      if (change) compare(scoped, base, change, mine, path, value, reference, found, problems, typeof value === 'boolean');
      // An empty string may drop a key (an optional host): the key then exists only when the value is set.
      if (typeof value === 'string' && value !== '' && !members.length) {
        const emptied = firstValid(options, reference, path, ['']);
        if (emptied) compare(scoped, base, emptied, mine, path, value, reference, found, problems, true);
      }
    }
  });
  if (problems.length) throw new ChartCompileError([...new Set(problems)]);
  return new Map([...found].map(([k, f]) => [k, { holes: [...f.holes.values()], conditions: [...f.conditions] }]));
}

/** Every non-empty map or list of the values, with its path, outermost first. */
function containers(node: unknown, path: string[] = []): Array<{ path: string[]; value: object }> {
  if (!node || typeof node !== 'object') return [];
  const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
  const own = path.length && entries.length ? [{ path, value: node as object }] : [];
  return [...own, ...entries.flatMap(([k, v]) => containers(v, [...path, k]))];
}

/** The schema nodes at a value path (every branch of an anyOf). */
function schemasAt(schema: JsonSchema | undefined, path: readonly string[]): JsonSchema[] {
  if (!schema) return [];
  if (schema.anyOf) return schema.anyOf.flatMap((s) => schemasAt(s, path));
  if (!path.length) return [schema];
  const [head, ...rest] = path;
  const next = schema.properties?.[head] ?? (/^\d+$/.test(head) ? schema.items : undefined) ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
  return schemasAt(next, rest);
}

/** Other maps or lists the app may accept in place of one: a list twice as long, a map with one key more. */
function structuralVariants(value: object, schemas: readonly JsonSchema[]): object[] {
  if (Array.isArray(value)) return [[...value, ...value]];
  const map = value as Record<string, unknown>;
  const out: object[] = [];
  const first = Object.keys(map)[0];
  if (first !== undefined) out.push({ ...map, [`${first}-x`]: map[first] });
  for (const s of schemas) for (const key of Object.keys(s.properties ?? {})) if (!(key in map)) out.push({ ...map, [key]: {} }, { ...map, [key]: [] });
  return out;
}

/** Every place in an object whose content deep-equals `value`, by path. */
function placesOf(node: unknown, value: unknown, path: FieldPath = [], out: FieldPath[] = []): FieldPath[] {
  if (!node || typeof node !== 'object') return out;
  if (path.length && isDeepStrictEqual(node, value)) {
    out.push(path);
    return out;
  }
  const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node);
  for (const [k, v] of entries) placesOf(v, value, [...path, k], out);
  return out;
}

const at = (node: unknown, path: FieldPath): unknown => path.reduce<any>((n, k) => (n == null ? undefined : n[k]), node);

/**
 * Maps and lists written as given (a nodeSelector, tolerations, TLS entries): a field that holds
 * a value's map or list, and holds the app's other map or list when the value changes to it,
 * becomes `toYaml` of the value; when the empty map or list drops the field, it exists only
 * while the value is not empty. Returns the fields bound, by object.
 */
function passThroughs(
  options: TraceOptions, reference: unknown, base: ReadonlyMap<string, Obj>, keys: readonly string[], skipped: (path: readonly string[]) => boolean,
  found: Map<string, Found>,
): Map<string, FieldPath[]> {
  const bound = new Map<string, FieldPath[]>();
  const boundValues: string[][] = [];
  for (const { path, value } of containers(reference)) {
    if (skipped(path) || boundValues.some((b) => b.every((k, i) => path[i] === k))) continue;
    const places = keys.flatMap((key) => placesOf(base.get(key), value).map((field) => ({ key, field })))
      .filter(({ key, field }) => !options.covered(key, field));
    if (!places.length) continue;
    const variants = structuralVariants(value, schemasAt(options.schema as JsonSchema | undefined, path));
    const change = firstValid(options, reference, path, variants);
    if (!change) continue;
    const now = at(change.values, path);
    const following = places.filter(({ key, field }) => isDeepStrictEqual(at(change.objects.get(key), field), now));
    if (!following.length) continue;
    const emptied = firstValid(options, reference, path, [Array.isArray(value) ? [] : {}]);
    const go = toGo(refAt(path), 'unused');
    for (const { key, field } of following) {
      const holes = (found.get(key) as Found).holes;
      holes.set(`block:${JSON.stringify(field)}`, { kind: 'block', path: field, expr: `toYaml ${go}` });
      if (emptied && at(emptied.objects.get(key), field) === undefined && typeof field[field.length - 1] === 'string') holes.set(`when:${JSON.stringify(field)}`, { kind: 'when', path: field, cond: go });
      bound.set(key, [...(bound.get(key) ?? []), field]);
    }
    boundValues.push(path);
  }
  return bound;
}

/** The values with `path` changed to the first candidate the app accepts, and its objects. */
function firstValid(options: TraceOptions, reference: unknown, path: string[], candidates: readonly unknown[]): { values: unknown; objects: Map<string, Obj> } | undefined {
  for (const candidate of candidates) {
    try {
      const values = setAt(reference, path, candidate);
      return { values, objects: new Map(options.synthesize(values).map((o) => [options.objectKey(o), o])) };
    } catch {
      // Not valid: try the next.
    }
  }
  return undefined;
}

/**
 * Binds what changed between the reference's objects and a change's. With `switches` (a boolean
 * flipped, a string emptied), an object or key that disappears exists only while the value is as
 * in the reference; otherwise that is a problem.
 */
function compare(
  options: TraceOptions, base: ReadonlyMap<string, Obj>, change: { values: unknown; objects: Map<string, Obj> }, keys: readonly string[],
  path: string[], value: string | number | boolean, reference: unknown, found: Map<string, Found>, problems: string[], switches: boolean,
): void {
  const now = at(change.values, path);
  const condition = conditionOn(path, Boolean(value));
  for (const key of keys) {
    const [a, b] = [base.get(key), change.objects.get(key)];
    const into = found.get(key) as Found;
    if (!b) {
      if (options.covered(key, [])) continue;
      if (switches) into.conditions.add(condition);
      else problems.push(`${key} disappears when ${path.join('.')} changes: the chart compiler cannot make its existence depend on values`);
      continue;
    }
    // Most changes leave most objects as they were: compare leaf by leaf only what changed.
    if (isDeepStrictEqual(a, b)) continue;
    const [la, lb] = [leavesOf(a), leaves(b)];
    const dropped = new Set<string>();
    for (const [id, { path: field, value: before }] of la) {
      if (options.covered(key, field)) continue;
      const next = lb.get(id);
      if (next === undefined) {
        const gone = missingPrefix(b, field);
        const goneId = JSON.stringify(gone);
        if (dropped.has(goneId)) continue;
        dropped.add(goneId);
        if (switches && typeof gone[gone.length - 1] === 'string') into.holes.set(`when:${goneId}`, { kind: 'when', path: gone, cond: condition });
        else problems.push(`${key} ${gone.join('.')} disappears when ${path.join('.')} changes`);
      } else if (!isDeepStrictEqual(next.value, before)) {
        const expr = bindingOf(before, next.value, path, value, now, options.derived, reference, change.values);
        const bound = into.holes.get(id);
        if (!expr) {
          if (!switches || now !== '') problems.push(`${key} ${field.join('.')} changes with ${path.join('.')} (${JSON.stringify(before)} to ${JSON.stringify(next.value)}) in a way the chart compiler cannot express`);
        } else if (bound && bound.kind === 'value' && bound.expr !== expr) problems.push(`${key} ${field.join('.')} depends on several values (${bound.expr}, ${expr}): make it a derived value of the chart`);
        else into.holes.set(id, { kind: 'value', path: field, expr });
      }
    }
    for (const [id, { path: field }] of lb) if (!la.has(id) && !options.covered(key, field)) problems.push(`${key} ${field.join('.')} appears when ${path.join('.')} changes`);
  }
  // A renamed object shows as its key disappearing; an object a switch adds must be in some reference.
  for (const key of switches ? change.objects.keys() : []) {
    if (!base.has(key) && !(options.known ?? options.targets).has(key)) problems.push(`${key} appears when ${path.join('.')} changes: no reference values have it, so the chart cannot template it`);
  }
}
