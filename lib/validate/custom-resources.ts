import Ajv, { type ValidateFunction } from 'ajv';
import type { SchemaError } from './schema';

/**
 * Custom resources, validated against the CustomResourceDefinitions found in the input or given
 * with `--crd` (SPEC S7). A CRD version's `openAPIV3Schema` becomes a JSON Schema for ajv, with
 * the API server's strict field validation: a field the structural schema does not declare is
 * an error, unless `x-kubernetes-preserve-unknown-fields` allows it; `x-kubernetes-int-or-string`
 * accepts both; `nullable` accepts null. `apiVersion`, `kind` and `metadata` are the server's.
 */

type Json = Record<string, any>;

/** JSONSchemaProps -> a JSON Schema ajv accepts, strict as the API server's field validation. */
function toJsonSchema(props: Json | undefined): Json {
  if (!props || typeof props !== 'object') return {};
  const out: Json = {};
  for (const key of ['type', 'format', 'enum', 'maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'maxProperties', 'minProperties', 'required']) {
    if (props[key] !== undefined) out[key] = props[key];
  }
  // apiextensions uses boolean exclusive bounds (draft 4); JSON Schema draft 7 uses numbers.
  if (typeof props.exclusiveMaximum === 'boolean') { delete out.exclusiveMaximum; if (props.exclusiveMaximum && props.maximum !== undefined) { out.exclusiveMaximum = props.maximum; delete out.maximum; } }
  if (typeof props.exclusiveMinimum === 'boolean') { delete out.exclusiveMinimum; if (props.exclusiveMinimum && props.minimum !== undefined) { out.exclusiveMinimum = props.minimum; delete out.minimum; } }
  if (props['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) if (Array.isArray(props[key])) out[key] = [...(out[key] ?? []), ...props[key].map(toJsonSchema)];
  if (props.not) out.not = toJsonSchema(props.not);
  if (props.items) out.items = Array.isArray(props.items) ? props.items.map(toJsonSchema) : toJsonSchema(props.items);
  const preserve = props['x-kubernetes-preserve-unknown-fields'] === true || props['x-kubernetes-embedded-resource'] === true;
  if (props.properties) out.properties = Object.fromEntries(Object.entries(props.properties as Json).map(([k, v]) => [k, toJsonSchema(v)]));
  if (props.additionalProperties !== undefined) out.additionalProperties = typeof props.additionalProperties === 'boolean' ? props.additionalProperties : toJsonSchema(props.additionalProperties);
  else if ((props.type === 'object' || props.properties) && !preserve) out.additionalProperties = false;
  if (props.nullable && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

/** The versions a CRD defines, by `group/version` and kind. */
export class CustomResourceSchemas {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  private readonly schemas = new Map<string, { schema: Json; validate?: ValidateFunction }>();

  /** Adds every version of a CustomResourceDefinition (other objects are ignored). */
  public add(crd: Json): void {
    if (crd?.kind !== 'CustomResourceDefinition' || !String(crd.apiVersion).startsWith('apiextensions.k8s.io/')) return;
    const group = crd.spec?.group;
    const kind = crd.spec?.names?.kind;
    for (const version of crd.spec?.versions ?? []) {
      const root = toJsonSchema(version?.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
      root.properties = { ...(root.properties ?? {}), apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } };
      this.schemas.set(`${group}/${version.name}/${kind}`, { schema: root });
    }
  }

  /** Errors of a custom resource against its CRD, or null if no CRD defines its apiVersion/kind. */
  public validate(object: Json): SchemaError[] | null {
    const entry = this.schemas.get(`${object.apiVersion}/${object.kind}`);
    if (!entry) return null;
    entry.validate ??= this.ajv.compile(entry.schema);
    if (entry.validate(object)) return [];
    return (entry.validate.errors ?? []).map((e) => ({
      path: `${e.instancePath || '/'}${e.keyword === 'additionalProperties' ? `/${String((e.params as Json).additionalProperty)}` : ''}`,
      message: e.keyword === 'additionalProperties' ? 'unknown field (not in the CRD\'s schema; strict mode)' : `${e.message ?? e.keyword} (CRD schema)`,
    }));
  }
}
