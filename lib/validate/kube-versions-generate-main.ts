/**
 * `npm run generate:kube-versions [-- <file>]`: writes lib/validate/kube-versions.json (or <file>) from the OpenAPI v3
 * documents of every Kubernetes version the validator supports (1.28 to 1.36), as each version's
 * own `k8s.io/kubernetes` module ships them (api/openapi-spec/v3, fetched with `go mod download`
 * from the Go module proxy). For each creatable kind: the first and last minor that serve it,
 * and every field path added after the kind's first version, with the minor that added it. The
 * validator reads it to refuse, for a `--kubernetes-version`, kinds and fields that version does
 * not have (lib/validate/api-versions.ts), with no hand list.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../tools/repo-root';

/** The newest patch of each supported minor that the module proxy serves. */
const MODULES: Readonly<Record<number, string>> = {
  28: 'v1.28.15', 29: 'v1.29.6', 30: 'v1.30.14', 31: 'v1.31.14', 32: 'v1.32.13', 33: 'v1.33.13', 34: 'v1.34.4', 35: 'v1.35.4', 36: 'v1.36.3',
};

type Schema = { $ref?: string; allOf?: Schema[]; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: boolean | Schema; 'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }> };
type Doc = { paths?: Record<string, Record<string, { 'x-kubernetes-action'?: string; 'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string } }>>; components?: { schemas?: Record<string, Schema> } };

function moduleDir(version: string): string {
  const out = execFileSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${version}`], { cwd: repoRoot(), encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  return (JSON.parse(out) as { Dir: string }).Dir;
}

const gvkKey = (g: { group: string; version: string; kind: string }) => `${g.group ? `${g.group}/` : ''}${g.version}/${g.kind}`;

/** Every field path of a schema, `[]` for list items and `{}` for map values, each definition once per branch. */
function fieldPaths(schemas: Record<string, Schema>, schema: Schema | undefined, prefix: string, stack: readonly string[], out: Set<string>): void {
  if (!schema || stack.length > 16) return;
  const ref = schema.$ref ?? schema.allOf?.find((s) => s.$ref)?.$ref;
  if (ref) {
    const name = ref.replace('#/components/schemas/', '');
    if (stack.includes(name)) return;
    fieldPaths(schemas, schemas[name], prefix, [...stack, name], out);
    return;
  }
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.add(path);
    fieldPaths(schemas, child, path, stack, out);
  }
  if (schema.items) fieldPaths(schemas, schema.items, `${prefix}[]`, stack, out);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') fieldPaths(schemas, schema.additionalProperties, `${prefix}{}`, stack, out);
}

/** The creatable kinds of one version (a POST on a collection), each with its field paths. */
function kindsOf(dir: string): Map<string, Set<string>> {
  const specDir = join(dir, 'api', 'openapi-spec', 'v3');
  const kinds = new Map<string, Set<string>>();
  for (const file of readdirSync(specDir).filter((f) => f.endsWith('.json')).sort()) {
    const doc = JSON.parse(readFileSync(join(specDir, file), 'utf8')) as Doc;
    const schemas = doc.components?.schemas ?? {};
    const roots = new Map<string, string>();
    for (const [name, s] of Object.entries(schemas)) for (const g of s['x-kubernetes-group-version-kind'] ?? []) roots.set(gvkKey(g), name);
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const post = item.post;
      const gvk = post?.['x-kubernetes-group-version-kind'];
      if (!gvk || /\{name\}/.test(path)) continue;
      const key = gvkKey(gvk);
      const root = roots.get(key);
      if (!root || kinds.has(key)) continue;
      const paths = new Set<string>();
      fieldPaths(schemas, schemas[root], '', [root], paths);
      kinds.set(key, paths);
    }
  }
  return kinds;
}

const minors = Object.keys(MODULES).map(Number).sort((a, b) => a - b);
const byMinor = new Map(minors.map((minor) => [minor, kindsOf(moduleDir(MODULES[minor]))]));
const served: Record<string, [number, number]> = {};
const fields: Record<string, Record<string, number>> = {};
for (const minor of minors) {
  for (const [kind, paths] of byMinor.get(minor) ?? []) {
    const span = served[kind];
    served[kind] = span ? [span[0], minor] : [minor, minor];
    const first = served[kind][0];
    if (minor === first) continue;
    const before = byMinor.get(minor - 1)?.get(kind) ?? new Set<string>();
    for (const path of paths) {
      // Under a field that is itself new, only the new field is named.
      const parentNew = Object.keys(fields[kind] ?? {}).some((p) => path.startsWith(`${p}.`) || path.startsWith(`${p}[`) || path.startsWith(`${p}{`));
      if (before.has(path) || parentNew || fields[kind]?.[path] !== undefined) continue;
      fields[kind] = { ...fields[kind], [path]: minor };
    }
  }
}
const data = {
  '//': 'Generated by npm run generate:kube-versions from each version\'s own OpenAPI v3 documents (k8s.io/kubernetes api/openapi-spec/v3). Do not edit.',
  modules: MODULES,
  served: Object.fromEntries(Object.entries(served).sort(([a], [b]) => a.localeCompare(b))),
  fields: Object.fromEntries(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b))),
};
const out = process.argv[2] ?? join(repoRoot(), 'lib', 'validate', 'kube-versions.json');
writeFileSync(out, `${JSON.stringify(data, null, 1)}\n`);
process.stdout.write(`wrote ${out}: ${Object.keys(served).length} kinds, ${Object.values(fields).reduce((n, f) => n + Object.keys(f).length, 0)} fields added after a kind's first version\n`);
