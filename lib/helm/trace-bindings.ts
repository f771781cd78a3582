import { isDeepStrictEqual } from 'node:util';
import { ref, toGo } from '../../constructs/expr';
import type { FieldPath, Hole } from './template-builder';

/**
 * Finds which values drive which fields of objects the compiler has no kind-specific knowledge
 * of (a CronJob, a StatefulSet, a custom resource an app adds), by running the app's own
 * synthesis: each scalar of the reference values is changed alone to another valid value, the
 * stack is synthesized again, and every field that changed is bound to that value, as
 * `$v.<path>`, as one of the chart's derived values (an image reference, a version label), or
 * as text around the value (`printf`). A field that changes in any other way, or an object or
 * key that appears or disappears with a value, cannot be compiled and is an error naming both:
 * the chart would otherwise keep the reference's literal and silently differ from synth.
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
  /** The complete reference values. */
  readonly reference: unknown;
  /** Synthesizes the stack; throws when the values are not valid. */
  readonly synthesize: (values: unknown) => readonly Obj[];
  /** The objects to bind, by the key `objectKey` gives them. */
  readonly targets: ReadonlySet<string>;
  readonly objectKey: (o: Obj) => string;
  /** Fields of a target already templated (names, label sets): not traced. */
  readonly covered: (key: string, path: FieldPath) => boolean;
  readonly derived: readonly DerivedValue[];
  /** Value paths never changed (`environment`: a preset switch, not a value). */
  readonly skip?: readonly string[];
  /** The JSON schema of complete values: an enum offers its other members as changes. */
  readonly schema?: object;
}

type JsonSchema = { enum?: unknown[]; anyOf?: JsonSchema[]; properties?: Record<string, JsonSchema>; items?: JsonSchema; additionalProperties?: boolean | JsonSchema };

/** The members of the enum at a value path of a JSON schema, if it is one. */
function enumAt(schema: JsonSchema | undefined, path: readonly string[]): unknown[] {
  if (!schema) return [];
  if (schema.anyOf) return schema.anyOf.flatMap((s) => enumAt(s, path));
  if (!path.length) return schema.enum ?? [];
  const [head, ...rest] = path;
  const next = schema.properties?.[head] ?? (/^\d+$/.test(head) ? schema.items : undefined) ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
  return enumAt(next, rest);
}

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

/** The Go expression of a field that changed from `before` to `after` when `path` changed from `old` to `now`. */
function bindingOf(before: unknown, after: unknown, valuePath: string[], old: unknown, now: unknown, derived: readonly DerivedValue[], reference: unknown, changed: unknown): string | undefined {
  const value = toGo(ref(valuePath.join('.')), 'unused');
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

/** The value holes of every target object; throws naming what cannot be compiled. */
export function traceBindings(options: TraceOptions): Map<string, Hole[]> {
  const base = new Map(options.synthesize(options.reference).map((o) => [options.objectKey(o), o]));
  const holes = new Map<string, Map<string, Hole>>([...options.targets].map((k) => [k, new Map()]));
  const problems: string[] = [];
  for (const { path, value } of scalars(options.reference)) {
    if ((options.skip ?? []).some((s) => path.join('.') === s || path.join('.').startsWith(`${s}.`))) continue;
    let changed: unknown;
    let objects: readonly Obj[] | undefined;
    const members = enumAt(options.schema as JsonSchema | undefined, path).filter((m) => m !== value) as Array<string | number | boolean>;
    for (const candidate of members.length ? members : alternatives(value)) {
      try {
        changed = setAt(options.reference, path, candidate);
        objects = options.synthesize(changed);
        break;
      } catch {
        objects = undefined;
      }
    }
    if (!objects) continue; // no other valid value: this one cannot change on its own
    const now = path.reduce<any>((node, k) => node[k], changed);
    const after = new Map(objects.map((o) => [options.objectKey(o), o]));
    for (const key of options.targets) {
      const [a, b] = [base.get(key), after.get(key)];
      if (!b) {
        problems.push(`${key} disappears when ${path.join('.')} changes: the chart compiler cannot make its existence depend on values`);
        continue;
      }
      const [la, lb] = [leaves(a), leaves(b)];
      for (const [id, { path: field, value: before }] of la) {
        if (options.covered(key, field)) continue;
        const next = lb.get(id);
        if (next === undefined) problems.push(`${key} ${field.join('.')} disappears when ${path.join('.')} changes`);
        else if (!isDeepStrictEqual(next.value, before)) {
          const expr = bindingOf(before, next.value, path, value, now, options.derived, options.reference, changed);
          const bound = holes.get(key)?.get(id);
          if (!expr) problems.push(`${key} ${field.join('.')} changes with ${path.join('.')} (${JSON.stringify(before)} to ${JSON.stringify(next.value)}) in a way the chart compiler cannot express`);
          else if (bound && bound.kind === 'value' && bound.expr !== expr) problems.push(`${key} ${field.join('.')} depends on several values (${bound.expr}, ${expr}): make it a derived value of the chart`);
          else holes.get(key)?.set(id, { kind: 'value', path: field, expr });
        }
      }
      for (const [id, { path: field }] of lb) if (!la.has(id) && !options.covered(key, field)) problems.push(`${key} ${field.join('.')} appears when ${path.join('.')} changes`);
    }
  }
  if (problems.length) throw new ChartCompileError([...new Set(problems)]);
  return new Map([...holes].map(([k, m]) => [k, [...m.values()]]));
}
