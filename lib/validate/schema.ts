
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
 * Only the kinds that appear are loaded (one `require` per kind, cached). The validators run
 * through the models' public `validate()` (kubernetes-models' exports map hides the schema
 * modules), which throws ajv's errors.
 */

export interface SchemaError {
  /** JSON pointer-like path, for example `/spec/replicas`. */
  readonly path: string;
  readonly message: string;
}

type AjvError = { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> };

/** A kubernetes-models model class: `prototype.validate` runs the kind's compiled ajv validator. */
type ModelClass = { prototype: { validate(this: unknown): void } };

/**
 * The kinds a todo-stack chart writes, required by literal path so that a bundle includes them
 * (each module still runs only when its kind is first met). Every other kind is looked up at
 * run time, from `kubernetes-models/<apiVersion>/<Kind>`.
 */
const BUILT_IN: Record<string, () => ModelClass> = {
  'v1/Namespace': () => require('kubernetes-models/v1/Namespace').Namespace,
  'v1/ServiceAccount': () => require('kubernetes-models/v1/ServiceAccount').ServiceAccount,
  'v1/ConfigMap': () => require('kubernetes-models/v1/ConfigMap').ConfigMap,
  'v1/Secret': () => require('kubernetes-models/v1/Secret').Secret,
  'v1/Service': () => require('kubernetes-models/v1/Service').Service,
  'v1/Pod': () => require('kubernetes-models/v1/Pod').Pod,
  'apps/v1/Deployment': () => require('kubernetes-models/apps/v1/Deployment').Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': () => require('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler').HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': () => require('kubernetes-models/policy/v1/PodDisruptionBudget').PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': () => require('kubernetes-models/networking.k8s.io/v1/NetworkPolicy').NetworkPolicy,
  'networking.k8s.io/v1/Ingress': () => require('kubernetes-models/networking.k8s.io/v1/Ingress').Ingress,
};

const models = new Map<string, ModelClass | null>();

/** The model class of apiVersion/kind, or null if kubernetes-models has no schema for it. */
export function modelFor(apiVersion: string, kind: string): ModelClass | null {
  const key = `${apiVersion}/${kind}`;
  const cached = models.get(key);
  if (cached !== undefined) return cached;
  let model: ModelClass | null = BUILT_IN[key]?.() ?? null;
  if (!model && /^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) && /^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    try {
      const modulePath = `kubernetes-models/${apiVersion}/${kind}`;
      model = (require(modulePath) as Record<string, ModelClass>)[kind] ?? null;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw e;
    }
  }
  models.set(key, model);
  return model;
}

/** Runs the kind's validator on `data`; returns ajv's errors (empty when valid). */
function runValidator(model: ModelClass, data: unknown): AjvError[] {
  try {
    model.prototype.validate.call(data);
    return [];
  } catch (e) {
    const errors = (e as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) throw e;
    return errors;
  }
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
        return Object.hasOwn(target, key) ? wrap(v, `${path}/${key}`) : v;
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

/** The value at a JSON pointer (`/data/FEATURE`) of an object. */
function at(object: unknown, pointer: string): unknown {
  return pointer.split('/').slice(1).reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), object);
}

function describe(error: AjvError, object: unknown): string {
  switch (error.keyword) {
    case 'required': return `missing required field "${String(error.params.missingProperty)}"`;
    case 'type': {
      // A string field holding a boolean or a number is most often an unquoted `yes`, `on` or `0644`.
      const value = at(object, error.instancePath);
      const hint = error.params.type === 'string' && (typeof value === 'boolean' || typeof value === 'number')
        ? `, got the ${typeof value} ${JSON.stringify(value)} (kubectl reads an unquoted yes, on, 010 or 1e3 as YAML 1.1 does); quote it to send a string`
        : '';
      return `expected ${String(error.params.type)}${hint}`;
    }
    case 'enum': return `must be one of ${JSON.stringify(error.params.allowedValues)}`;
    case 'format': return `must be a valid ${String(error.params.format)}`;
    default: return error.message ?? error.keyword;
  }
}

/**
 * What the schema allows at one place, learned from a validator's accesses: named fields (each
 * with the shape below it), a map (one shape for every value), or anything at all. List items
 * share one shape. The Kubernetes schemas have one shape per path, so once the accesses on a
 * valid object have shown a path's shape, later objects are checked against it by a plain walk,
 * without a Proxy. Only valid objects teach shapes.
 */
interface Shape {
  kind: 'fields' | 'map' | 'free';
  /** Allowed keys; null until an object value under the key has been seen. */
  fields: Map<string, Shape | null>;
  value?: Shape;
  item?: Shape;
}

const newShape = (kind: Shape['kind']): Shape => ({ kind, fields: new Map() });
const shapes = new Map<ModelClass, Shape>();

const UNKNOWN_FIELD = 'unknown field (not in the schema; strict mode)';

/** Checks keys against learned shapes; false when a part of the object has no learned shape yet. */
function checkKnownShapes(node: unknown, shape: Shape | undefined, path: string[], errors: SchemaError[]): boolean {
  if (node === null || typeof node !== 'object') return true;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      if (node[i] !== null && typeof node[i] === 'object') {
        path.push(String(i));
        const ok = checkKnownShapes(node[i], shape?.item, path, errors);
        path.pop();
        if (!ok) return false;
      }
    }
    return true;
  }
  if (!shape) return false;
  if (shape.kind === 'free') return true;
  for (const key in node) {
    const child = (node as Record<string, unknown>)[key];
    const childShape = (shape.kind === 'map' ? shape.value : shape.fields.get(key)) ?? undefined;
    if (shape.kind === 'fields' && !shape.fields.has(key)) {
      errors.push({ path: `/${[...path, key].join('/')}`, message: UNKNOWN_FIELD });
      continue;
    }
    if (child !== null && typeof child === 'object') {
      path.push(key);
      const ok = checkKnownShapes(child, childShape, path, errors);
      path.pop();
      if (!ok) return false;
    }
  }
  return true;
}

/** Records the shapes a validator's accesses revealed on a valid object. */
function learnShape(node: unknown, records: Map<object, AccessRecord>, existing: Shape | undefined): Shape | undefined {
  if (node === null || typeof node !== 'object') return existing;
  if (Array.isArray(node)) {
    const holder = existing ?? newShape('fields');
    for (const item of node) holder.item = learnShape(item, records, holder.item);
    return holder;
  }
  const record = records.get(node);
  if (!record || (!record.enumerated && record.read.size === 0)) return existing ?? newShape('free');
  if (record.enumerated) {
    const shape = existing ?? newShape('map');
    for (const child of Object.values(node)) shape.value = learnShape(child, records, shape.value);
    return shape;
  }
  const shape = existing ?? newShape('fields');
  for (const key of record.read) if (!shape.fields.has(key)) shape.fields.set(key, null);
  for (const [key, child] of Object.entries(node)) {
    if (child !== null && typeof child === 'object' && record.read.has(key)) {
      shape.fields.set(key, learnShape(child, records, shape.fields.get(key) ?? undefined) ?? null);
    }
  }
  return shape;
}

/**
 * The fields of a JSONSchemaProps (apiextensions.k8s.io/v1), the schema language of a CRD's
 * openAPIV3Schema. kubernetes-models' compiled validator never reads some of them (it strips
 * `description`, and knows none of the `x-kubernetes-*` extensions), so strict mode would call
 * every CRD with documentation invalid. Source: k8s.io/apiextensions-apiserver types_jsonschema.go.
 */
const JSON_SCHEMA_PROPS_FIELDS = new Set([
  'id', '$schema', '$ref', 'description', 'type', 'format', 'title', 'default', 'maximum', 'exclusiveMaximum', 'minimum',
  'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'enum',
  'maxProperties', 'minProperties', 'required', 'items', 'allOf', 'oneOf', 'anyOf', 'not', 'properties', 'additionalProperties',
  'patternProperties', 'dependencies', 'additionalItems', 'definitions', 'externalDocs', 'example', 'nullable',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-map-type', 'x-kubernetes-validations',
]);

/**
 * The other fields named `description` that the compiled validators lost with the documentation:
 * in the OpenAPI document of Kubernetes 1.36.3 (api/openapi-spec/swagger.json), only
 * PriorityClass, CustomResourceColumnDefinition, ExternalDocumentation and JSONSchemaProps have
 * a property of that name; the last two live inside a CRD's openAPIV3Schema (above).
 */
const LOST_DESCRIPTIONS: ReadonlyArray<{ readonly kind: string; readonly path: RegExp }> = [
  { kind: 'PriorityClass', path: /^\/description$/ },
  { kind: 'CustomResourceDefinition', path: /^\/spec\/versions\/\d+\/additionalPrinterColumns\/\d+\/description$/ },
];

/** Drops "unknown field" errors for fields the compiled schemas lost: JSONSchemaProps fields in a CRD's openAPIV3Schema, and the `description`s above. */
function withoutSchemaPropsFalsePositives(object: Record<string, unknown>, errors: SchemaError[]): SchemaError[] {
  return errors.filter((e) => {
    if (e.message !== UNKNOWN_FIELD) return true;
    if (LOST_DESCRIPTIONS.some((l) => l.kind === object.kind && l.path.test(e.path))) return false;
    if (object.kind !== 'CustomResourceDefinition' || !String(object.apiVersion).startsWith('apiextensions.k8s.io/') || !e.path.includes('/openAPIV3Schema')) return true;
    return !JSON_SCHEMA_PROPS_FIELDS.has(e.path.slice(e.path.lastIndexOf('/') + 1));
  });
}

/**
 * Schema errors the API server does not make (each seen in its dry run): an empty string in an
 * enum field of an object is a Go zero value, defaulted like a missing one (an empty item of a
 * list is still refused); a binding's `roleRef.apiGroup` is defaulted to the RBAC group; a
 * PriorityClass's `value` may be missing (zero is valid) and, past int32, is wrapped around by
 * the server's decoding rather than refused.
 */
function serverAccepts(object: Record<string, unknown>, e: AjvError): boolean {
  if (e.keyword === 'enum' && valueAt(object, e.instancePath) === '' && !/\/\d+$/.test(e.instancePath)) return true;
  if ((object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') && e.keyword === 'required' && e.instancePath === '/roleRef' && e.params.missingProperty === 'apiGroup') return true;
  if (object.kind !== 'PriorityClass') return false;
  return (e.keyword === 'required' && e.instancePath === '' && e.params.missingProperty === 'value') || (e.keyword === 'format' && e.instancePath === '/value');
}

/** The value at a JSON pointer of an object. */
function valueAt(object: unknown, pointer: string): unknown {
  let node: any = object;
  for (const part of pointer.split('/').slice(1)) node = node == null ? undefined : node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node;
}

/**
 * Validates one object strictly. Returns its errors (empty when valid), or null when no schema
 * is known for its apiVersion/kind.
 */
export function validateSchema(object: Record<string, unknown>): SchemaError[] | null {
  const errors = validateSchemaStrict(object);
  return errors && withoutSchemaPropsFalsePositives(object, errors);
}

function validateSchemaStrict(object: Record<string, unknown>): SchemaError[] | null {
  const model = modelFor(String(object.apiVersion), String(object.kind));
  if (!model) return null;
  const describeAll = (errors: AjvError[]) => errors.filter((e) => !serverAccepts(object, e)).map((e) => ({ path: e.instancePath || '/', message: describe(e, object) }));

  const unknownFields: SchemaError[] = [];
  if (checkKnownShapes(object, shapes.get(model), [], unknownFields)) return [...describeAll(runValidator(model, object)), ...unknownFields];

  const { proxy, records } = recordAccesses(object);
  const ajvErrors = runValidator(model, proxy);
  const errors = describeAll(ajvErrors);
  for (const record of records) {
    if (record.enumerated || record.read.size === 0) continue;
    for (const key of Object.keys(record.target)) {
      if (!record.read.has(key)) errors.push({ path: `${record.path}/${key}`, message: UNKNOWN_FIELD });
    }
  }
  if (ajvErrors.length === 0) shapes.set(model, learnShape(object, new Map(records.map((r) => [r.target, r])), shapes.get(model)) as Shape);
  return errors;
}
