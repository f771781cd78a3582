/**
 * A JSON schema with its repeated parts written once. Every service of a chart repeats the same
 * large shapes (affinity, topology spread, tolerations, ...), and Helm compiles
 * `values.schema.json` on every `helm install` and `helm template`: with the 312 KB schema a
 * render of the chart took 173-180 ms under Helm 4, with this one 120-124 ms (BENCHMARKS.md).
 * Each subtree of at least `minBytes` that occurs twice or more moves to `definitions` and is
 * replaced by a `$ref` (draft-7, which Helm 3 and Helm 4 both resolve), without changing what
 * the schema accepts.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: Json): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys under which a value is data, not a subschema: never replaced by a reference. */
const DATA_KEYS = new Set(['enum', 'const', 'default', 'examples', 'required']);
/** Keys whose value is a map of subschemas: the map itself is never replaced, its members may be. */
const MAP_KEYS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependencies']);

/** The schema with every large repeated subschema moved to `definitions`. */
export function factorDefinitions(schema: Record<string, unknown>, minBytes = 1024): Record<string, unknown> {
  const root = schema as { [key: string]: Json };
  const counts = new Map<string, number>();
  const visit = (node: Json, countIt: boolean) => {
    if (Array.isArray(node)) for (const item of node) visit(item, true);
    else if (isObject(node)) {
      const text = JSON.stringify(node);
      if (countIt && text.length >= minBytes) counts.set(text, (counts.get(text) ?? 0) + 1);
      for (const [key, value] of Object.entries(node)) if (!DATA_KEYS.has(key)) visit(value, !MAP_KEYS.has(key));
    }
  };
  visit(root, false);
  const names = new Map<string, string>();
  const definitions: Record<string, Json> = {};
  const rewrite = (node: Json, replaceIt: boolean): Json => {
    if (Array.isArray(node)) return node.map((item) => rewrite(item, true));
    if (!isObject(node)) return node;
    const text = JSON.stringify(node);
    if (replaceIt && (counts.get(text) ?? 0) >= 2) {
      let name = names.get(text);
      if (!name) {
        name = `shared${names.size + 1}`;
        names.set(text, name);
        definitions[name] = rewriteChildren(node);
      }
      return { $ref: `#/definitions/${name}` };
    }
    return rewriteChildren(node);
  };
  const rewriteChildren = (node: { [key: string]: Json }): Json =>
    Object.fromEntries(Object.entries(node).map(([key, value]) => [key, DATA_KEYS.has(key) ? value : rewrite(value, !MAP_KEYS.has(key))]));
  const body = rewriteChildren(root) as { [key: string]: Json };
  if (!names.size) return schema;
  return { ...body, definitions: { ...(isObject(body.definitions ?? null) ? (body.definitions as object) : {}), ...definitions } };
}

/** The schema with every local `#/definitions/...` reference replaced by what it names (for readers that walk it). */
export function inlineDefinitions(schema: Record<string, unknown>): Record<string, unknown> {
  const definitions = (schema.definitions ?? {}) as Record<string, Json>;
  const inline = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(inline);
    if (!isObject(node)) return node;
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/definitions/')) return inline(definitions[ref.slice('#/definitions/'.length)]);
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inline(value)]));
  };
  const { definitions: _dropped, ...rest } = schema;
  return inline(rest as Json) as Record<string, unknown>;
}
