import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Strict schema validation against the Kubernetes OpenAPI schemas, with kubeconform `-strict`
 * semantics.
 *
 * The schemas come from `kubernetes-models`, which ships them as ajv-compiled validators (one
 * module per definition). Those validators ignore unknown fields, so strictness is added here:
 * the object is validated through a Proxy that records which keys each validator reads. An ajv
 * validator reads every property its schema declares (`data.x === undefined || validate(data.x)`)
 * and enumerates the keys of maps (`additionalProperties`), so a key that was never read, on an
 * object whose validator read some keys and enumerated none, is unknown to the schema. Objects
 * the validators never look into are free-form (`type: object` with no properties,
 * `x-kubernetes-preserve-unknown-fields`) and may hold anything.
 *
 * Only the kinds that appear are loaded (one `require` per kind, cached).
 */

export interface SchemaError {
  /** JSON pointer-like path, for example `/spec/replicas`. */
  readonly path: string;
  readonly message: string;
}

type AjvError = { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> };
type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

const MODELS_ROOT = dirname(require.resolve('kubernetes-models/package.json'));
const validators = new Map<string, Validate | null>();

/** The compiled validator for apiVersion/kind, or null if kubernetes-models has no schema for it. */
export function validatorFor(apiVersion: string, kind: string): Validate | null {
  const key = `${apiVersion}/${kind}`;
  const cached = validators.get(key);
  if (cached !== undefined) return cached;
  let validate: Validate | null = null;
  if (/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) && /^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    try {
      // The model module names its schema module: require("../../_schemas/IoK8sApiAppsV1Deployment.js").
      const source = readFileSync(join(MODELS_ROOT, apiVersion, `${kind}.js`), 'utf8');
      const schema = /_schemas\/(\w+)\.js/.exec(source)?.[1];
      if (schema) validate = require(join(MODELS_ROOT, '_schemas', `${schema}.js`)).validate as Validate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  validators.set(key, validate);
  return validate;
}

interface AccessRecord {
  readonly target: Record<string, unknown>;
  readonly path: string;
  readonly read: Set<string>;
  enumerated: boolean;
}

/** Wraps `root` so that every key read and every enumeration is recorded, per object. */
function recordAccesses(root: object): { proxy: object; records: AccessRecord[] } {
  const records: AccessRecord[] = [];
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const existing = proxies.get(value);
    if (existing) return existing;
    const isArray = Array.isArray(value);
    const record: AccessRecord = { target: value as Record<string, unknown>, path, read: new Set(), enumerated: false };
    if (!isArray) records.push(record);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (typeof key !== 'string') return v;
        if (!isArray) record.read.add(key);
        return Object.prototype.hasOwnProperty.call(target, key) ? wrap(v, `${path}/${key}`) : v;
      },
      has(target, key) {
        if (typeof key === 'string' && !isArray) record.read.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        record.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  return { proxy: wrap(root, '') as object, records };
}

function describe(error: AjvError): string {
  switch (error.keyword) {
    case 'required': return `missing required field "${String(error.params.missingProperty)}"`;
    case 'type': return `expected ${String(error.params.type)}`;
    case 'enum': return `must be one of ${JSON.stringify(error.params.allowedValues)}`;
    case 'format': return `must be a valid ${String(error.params.format)}`;
    default: return error.message ?? error.keyword;
  }
}

/**
 * Validates one object strictly. Returns its errors (empty when valid), or null when no schema
 * is known for its apiVersion/kind.
 */
export function validateSchema(object: Record<string, unknown>): SchemaError[] | null {
  const validate = validatorFor(String(object.apiVersion), String(object.kind));
  if (!validate) return null;
  const { proxy, records } = recordAccesses(object);
  const ok = validate(proxy);
  const errors: SchemaError[] = ok ? [] : (validate.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: describe(e) }));
  for (const record of records) {
    if (record.enumerated || record.read.size === 0) continue;
    for (const key of Object.keys(record.target)) {
      if (!record.read.has(key)) errors.push({ path: `${record.path}/${key}`, message: 'unknown field (not in the schema; strict mode)' });
    }
  }
  return errors;
}
