/**
 * Random values overlays for the synth-vs-Helm property test, drawn from the chart's own
 * `values.schema.json` (which the one values schema generates), so every key the schema has is
 * covered without a list here: a new key is drawn as soon as it exists.
 *
 * Strings are drawn from a pool of ordinary and hostile candidates (YAML 1.1 booleans and
 * numbers, template delimiters, quotes, control characters, long strings) filtered by the key's
 * pattern, so most overlays are valid and many are refused; integers lean to their bounds.
 */

type JsonSchema = {
  type?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  not?: { const?: unknown };
  items?: JsonSchema;
  required?: string[];
};

const HEX64 = 'a1b2c3d4e5f6'.repeat(6).slice(0, 64);

/** Every string the generator may draw; a key with a pattern draws only those that match it. */
export const STRING_POOL: readonly string[] = [
  'todo', 'a', 'web-1', 'x-1', 'team', '1.2.3', 'v2.0.0-rc.1', '2024_01', 'latest', '_x', '-x', 'x-', 'UPPER',
  '100m', '0.5', '1', '250m', '2', '64Mi', '128Mi', '1Gi', '512Mi', '1e3', '1500m', '0', '0m', '0.0001', '3Ti', '+1', '-1',
  `sha256:${HEX64}`, 'sha256:abc', 'registry.example.com/team/app', 'localhost:5000/app', 'ghcr.io/org/todo-backend', 'a//b',
  'yes', 'on', 'off', 'no', 'y', 'n', 'true', 'True', 'null', '~', '123', '0x1f', '010', '0o17', '1_000', '.inf', '-.inf', '.nan', '1e400',
  'example.com', 'todo.example.com', '*.example.com', 'Example.COM', 'a..b', '-bad.example.com',
  '', ' ', 'a b', 'a: b', '# c', 'key=value,other', '[a, b]', '{a: b}', '&anchor', '*alias', '!tag', '%x', '@x', '`x`', '|', '>-',
  '{{ .Release.Name }}', '{{', '}}', '{{- fail "x" }}', "it's", '"quoted"', '\\back\\slash', 'tab\there', 'line\nbreak', 'cr\rlf',
  'ünïcödé', 'emoji 🚀', '\u2028', '\u0085', '\u0007', '\ufeffbom', 'é'.repeat(70), 'x'.repeat(64), 'y'.repeat(253),
  'todo-secrets', 'my-secret', 'ALL_CAPS', 'FEATURE_X', 'A1', '_UNDER', '1BAD', 'lower',
];

export interface OverlayOptions {
  /** Chance that an optional key is present. @default 0.3 */
  readonly density?: number;
  /** Chance that a present key is null ("keep the preset"). @default 0.05 */
  readonly nullChance?: number;
  /** Dotted paths never drawn (Helm-only keys the test covers elsewhere). */
  readonly skip?: readonly string[];
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function drawInteger(random: () => number, schema: JsonSchema): number {
  const min = schema.minimum ?? 0;
  const max = Math.min(schema.maximum ?? min + 1000, Number.MAX_SAFE_INTEGER);
  const r = random();
  if (r < 0.5) return Math.min(max, min + Math.floor(random() * 4));
  if (r < 0.65) return min;
  if (r < 0.75) return max;
  return min + Math.floor(random() * (max - min + 1));
}

function drawString(random: () => number, schema: JsonSchema): string {
  const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined;
  const pool = STRING_POOL.filter((s) => (!pattern || pattern.test(s)) && s !== schema.not?.const);
  return pool.length ? pick(random, pool) : '';
}

/** One random value for a schema node; `path` is the dotted key path so far. */
function draw(random: () => number, schema: JsonSchema, path: string, options: Required<OverlayOptions>): unknown {
  if (schema.anyOf) {
    const nonNull = schema.anyOf.filter((s) => s.type !== 'null');
    if (nonNull.length < schema.anyOf.length && random() < options.nullChance) return null;
    return draw(random, pick(random, nonNull), path, options);
  }
  if (schema.enum) return pick(random, schema.enum);
  switch (schema.type) {
    case 'boolean':
      return random() < 0.5;
    case 'integer':
      return drawInteger(random, schema);
    case 'number':
      return drawInteger(random, schema) + (random() < 0.5 ? 0 : 0.5);
    case 'string':
      return drawString(random, schema);
    case 'array': {
      const n = Math.floor(random() * 3);
      return Array.from({ length: n }, (_, i) => draw(random, schema.items ?? {}, `${path}[${i}]`, options));
    }
    case 'object':
    case undefined: {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(schema.properties ?? {})) {
        const childPath = path ? `${path}.${key}` : key;
        if (options.skip.includes(childPath)) continue;
        if (schema.required?.includes(key) || random() < options.density) out[key] = draw(random, child, childPath, options);
      }
      if (typeof schema.additionalProperties === 'object') {
        const n = Math.floor(random() * 4);
        for (let i = 0; i < n; i++) {
          const key = drawString(random, schema.propertyNames ?? { type: 'string' });
          out[key] = draw(random, schema.additionalProperties, `${path}.${key}`, options);
        }
      }
      return out;
    }
    default:
      throw new Error(`overlay generator: ${path}: no generator for schema type ${schema.type}`);
  }
}

/** A random overlay for the values schema. */
export function randomOverlay(random: () => number, schema: object, options: OverlayOptions = {}): Record<string, unknown> {
  const resolved = { density: 0.3, nullChance: 0.05, skip: [], ...options };
  return draw(random, schema as JsonSchema, '', resolved) as Record<string, unknown>;
}

/** Every leaf path of a schema (objects' properties, records as `<key>`), for coverage checks. */
export function schemaLeafPaths(schema: object, path = ''): string[] {
  const s = schema as JsonSchema;
  if (s.anyOf) return [...new Set(s.anyOf.flatMap((x) => schemaLeafPaths(x, path)))];
  if (s.properties) return Object.entries(s.properties).flatMap(([k, v]) => schemaLeafPaths(v, path ? `${path}.${k}` : k));
  if (typeof s.additionalProperties === 'object') return [`${path}.<key>`];
  return s.type === 'null' ? [] : [path];
}

/** Every leaf path an overlay sets (records as `<key>`). */
export function overlayLeafPaths(overlay: unknown, schema: object, path = ''): string[] {
  const s = schema as JsonSchema;
  if (s.anyOf) {
    const object = s.anyOf.find((x) => x.type === 'object');
    return object && overlay && typeof overlay === 'object' ? overlayLeafPaths(overlay, object, path) : overlay === undefined ? [] : [path];
  }
  if (s.properties && overlay && typeof overlay === 'object') {
    return Object.entries(s.properties).flatMap(([k, v]) => k in (overlay as object) ? overlayLeafPaths((overlay as Record<string, unknown>)[k], v, path ? `${path}.${k}` : k) : []);
  }
  if (typeof s.additionalProperties === 'object') return overlay && Object.keys(overlay).length ? [`${path}.<key>`] : [];
  return [path];
}
