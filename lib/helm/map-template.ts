import { toGo } from '../../constructs/expr';

/**
 * Derives a Go template from a TypeScript function that builds a string map from values (a
 * ConfigMap's data, for example), so the chart cannot drift from the function: the function is
 * run once on "traced" values, in which every string and number is a unique marker, and each
 * output entry is read back as text with holes. A map that the values hold as a record (any
 * keys) is traced as one marked entry, and becomes a `range` over that record at the same place
 * in the order, so later entries override it exactly as a JavaScript spread does.
 */

const STRING_MARK = /zq(\d+)qz/g;
const NUMBER_BASE = 987_650_000;
const NUMBER_MARK = /98765(\d{4})/g;
const INSTANCE = 'zqinstanceqz';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Traced {
  readonly values: Json;
  /** Marker index → Go expression of the value (`$v.backend.service.port`). */
  readonly refs: string[];
  /** Marked record key → Go expression of the record. */
  readonly records: Map<string, string>;
}

/** The Go expression of a value path: the expression language's own `ref`, so both read values alike. */
const goPath = (path: readonly string[]) => toGo({ op: 'ref', path }, 'unused');

function trace(values: Json, recordPaths: ReadonlySet<string>): Traced {
  const refs: string[] = [];
  const records = new Map<string, string>();
  const walk = (node: Json, path: string[]): Json => {
    if (recordPaths.has(path.join('.'))) {
      const key = `zq${refs.length}qz`;
      refs.push(goPath(path));
      records.set(key, goPath(path));
      return { [key]: `zq${refs.push('') - 1}qz` };
    }
    if (Array.isArray(node)) return node.map((x, i) => walk(x, [...path, String(i)]));
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]));
    if (typeof node === 'string') return `zq${refs.push(goPath(path)) - 1}qz`;
    if (typeof node === 'number') return NUMBER_BASE + refs.push(goPath(path)) - 1;
    return node;
  };
  return { values: walk(values, []), refs, records };
}

/** Turns one traced output string into a Go expression: a plain reference, or printf. */
function textExpr(text: string, refs: readonly string[]): string {
  const parts: string[] = [];
  const args: string[] = [];
  const marks = new RegExp(`${STRING_MARK.source}|${NUMBER_MARK.source}|${INSTANCE}`, 'g');
  let last = 0;
  for (const m of text.matchAll(marks)) {
    parts.push(text.slice(last, m.index).replace(/%/g, '%%'));
    const index = m[1] ?? m[2];
    if (index === undefined) {
      parts.push('%s');
      args.push('$fullname');
    } else {
      const ref = refs[Number(index)];
      if (!ref) throw new Error(`map template: ${JSON.stringify(text)} uses a marker with no value path`);
      parts.push('%v');
      args.push(ref);
    }
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(text.slice(last).replace(/%/g, '%%'));
  const format = parts.join('');
  if (!args.length) return JSON.stringify(text);
  if (format === '%v' || format === '%s') return args[0];
  return `(printf ${JSON.stringify(format)}${args.map((a) => ` ${a}`).join('')})`;
}

export interface MapTemplateOptions<K extends string> {
  /** Name of the named template; call it with (dict "root" $ "key" "<one of keys>"). */
  readonly name: string;
  /** The chart's named templates for the resolved values (JSON) and the object-name prefix. */
  readonly valuesTemplate: string;
  readonly fullnameTemplate: string;
  /** Complete example values: their shape is traced, not their content. */
  readonly reference: unknown;
  /** Dotted paths of the records in the values (maps with any keys). */
  readonly recordPaths: readonly string[];
  /** The function the template must equal: values and the instance name, to a map per key. */
  readonly produce: (values: any, instance: string) => Record<K, Record<string, string>>;
}

/** A named template that returns the map of one key as JSON, the same map `produce` builds. */
export function mapTemplate<K extends string>(options: MapTemplateOptions<K>): string {
  const traced = trace(options.reference as Json, new Set(options.recordPaths));
  const output = options.produce(traced.values, INSTANCE);
  const branches = Object.entries(output as Record<string, Record<string, string>>).map(([key, map]) => {
    const lines = Object.entries(map).map(([k, v]) => {
      const record = traced.records.get(k);
      if (record) return `{{- range $key, $value := ${record} }}{{ $_ := set $data $key $value }}{{ end -}}`;
      if (new RegExp(`${STRING_MARK.source}|${NUMBER_MARK.source}|${INSTANCE}`).test(k)) throw new Error(`map template ${options.name}: key ${k} comes from values but is not a record`);
      return `{{- $_ := set $data ${JSON.stringify(k)} ${textExpr(v, traced.refs)} -}}`;
    });
    return `{{- if eq .key ${JSON.stringify(key)} -}}\n${lines.join('\n')}\n{{- end -}}`;
  });
  return `{{- define "${options.name}" -}}
{{- $v := include "${options.valuesTemplate}" .root | fromJson -}}
{{- $fullname := include "${options.fullnameTemplate}" .root -}}
{{- $data := dict -}}
${branches.join('\n')}
{{- toJson $data -}}
{{- end }}`;
}
