import { buildContext, objectRef } from './pod-spec';
import { EXEMPT_ANNOTATION, type KubeObject, type Rule } from './rule';
import { ALL_RULES } from './rules';
import { DEFAULT_KUBERNETES_VERSION, type KubeVersion, newerFieldProblems, unservedProblem } from './api-versions';
import { CustomResourceSchemas } from './custom-resources';
import { validateSchema } from './schema';

/** One document to validate: a parsed object, or the reason it could not be parsed. */
export interface ValidationInput {
  readonly object?: KubeObject;
  /** File it came from, when there is one. */
  readonly file?: string;
  /** A parse error (bad YAML, duplicated key): the document is an error, not a resource. */
  readonly error?: string;
}

/** `warning`: reported, but the object stays valid. */
export type FindingStatus = 'invalid' | 'error' | 'warning';

/** One problem: the object, the field, the rule, and what to change. */
export interface Finding {
  readonly file?: string;
  readonly kind: string;
  readonly object: string;
  readonly path: string;
  /** `schema`, `parse`, or a policy rule id such as `pss.runAsNonRoot`. */
  readonly ruleId: string;
  readonly message: string;
  readonly status: FindingStatus;
  /** One human line: `file - Kind ns/name is invalid: rule path: message`. */
  readonly line: string;
}

/** A rule an object opted out of, with its reason. */
export interface Exemption {
  readonly file?: string;
  readonly kind: string;
  readonly object: string;
  readonly ruleId: string;
  readonly reason: string;
}

export interface ValidationReport {
  readonly resources: number;
  readonly valid: number;
  readonly invalid: number;
  readonly errors: number;
  /** Objects not validated: `skip`ped kinds, and kinds with no schema under `ignoreMissingSchemas`. */
  readonly skipped: number;
  /** Warnings, counted apart: they leave their objects valid. */
  readonly warnings: number;
  readonly findings: Finding[];
  readonly exemptions: Exemption[];
}

export interface ValidationOptions {
  /** Only the schema checks. */
  readonly schemaOnly?: boolean;
  /**
   * The Kubernetes version the objects must be served by: API versions it does not serve are
   * errors (lib/validate/api-versions.ts).
   * @default 1.28, the chart's minimum
   */
  readonly kubernetesVersion?: KubeVersion;
  /** CustomResourceDefinitions to validate custom resources against, besides those in the input. */
  readonly crds?: readonly KubeObject[];
  /** Kinds (`Kind` or `group/version/Kind`) not to validate at all, as kubeconform's `-skip`. */
  readonly skip?: readonly string[];
  /** An object whose kind has no known schema is skipped, not an error (kubeconform's `-ignore-missing-schemas`). */
  readonly ignoreMissingSchemas?: boolean;
  /** Only policy rules whose id starts with one of these (the schema check always runs unless `rules` excludes it). */
  readonly rulePrefixes?: readonly string[];
}

function finding(input: ValidationInput, kind: string, object: string, ruleId: string, path: string, message: string, status: FindingStatus): Finding {
  const where = input.file ? `${input.file} - ` : '';
  const verb = status === 'error' ? 'failed validation' : status === 'warning' ? 'has a warning' : 'is invalid';
  return { file: input.file, kind, object, path, ruleId, message, status, line: `${where}${kind} ${object} ${verb}: ${ruleId} ${path}: ${message}` };
}

/** Parses the exemption annotation: `bp.probes: reason; bp.read-only-root-filesystem: reason`. */
export function parseExemptions(o: KubeObject): Map<string, string> {
  const raw = o.metadata?.annotations?.[EXEMPT_ANNOTATION];
  const out = new Map<string, string>();
  if (typeof raw !== 'string') return out;
  for (const part of raw.split(';')) {
    const colon = part.indexOf(':');
    const id = (colon < 0 ? part : part.slice(0, colon)).trim();
    if (id) out.set(id, colon < 0 ? '' : part.slice(colon + 1).trim());
  }
  return out;
}

function structuralProblem(o: unknown): string | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'document is not a mapping';
  const obj = o as KubeObject;
  if (!('kind' in obj)) return "missing 'kind' key";
  if (typeof obj.kind !== 'string' || obj.kind === '') return "'kind' must be a non-empty string";
  if (!('apiVersion' in obj)) return "missing 'apiVersion' key";
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') return "'apiVersion' must be a non-empty string";
  return undefined;
}

/**
 * An object as the API server reads it: a field set to an explicit `null` is unset (JSON null
 * decodes to a Go zero value; a custom resource's null is pruned), so `type: null` or
 * `labels: null`, which charts render, is no finding. List items stay: a null item is an error
 * there too. The same object comes back when it holds no null.
 */
export function withoutNulls<T>(node: T): T {
  if (!node || typeof node !== 'object') return node;
  // Loops, not map/entries: most objects hold no null, and then nothing is allocated.
  if (Array.isArray(node)) {
    let items: unknown[] | undefined;
    for (let i = 0; i < node.length; i++) {
      const kept = withoutNulls(node[i]);
      if (kept === node[i]) continue;
      items ??= node.slice();
      items[i] = kept;
    }
    return (items ?? node) as T;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key in node) {
    const value = (node as Record<string, unknown>)[key];
    const kept = value === null ? undefined : withoutNulls(value);
    if (kept === value) continue;
    copy ??= { ...(node as Record<string, unknown>) };
    if (kept === undefined) delete copy[key];
    else copy[key] = kept;
  }
  return (copy ?? node) as T;
}

/**
 * Validates every object: strict schema first, then the policy rules (with the whole set as
 * context for cross-object rules). Parse and structure errors count as `error`, schema and
 * policy problems as `invalid`, like kubeconform.
 */
export function validateObjects(given: readonly ValidationInput[], options: ValidationOptions = {}): ValidationReport {
  const inputs = given.map((i) => (i.object ? { ...i, object: withoutNulls(i.object) } : i));
  const prefixes = options.rulePrefixes ?? [];
  const ruleSelected = (id: string) => prefixes.length === 0 || prefixes.some((p) => id.startsWith(p));
  const rules: Rule[] = options.schemaOnly ? [] : ALL_RULES.filter((r) => ruleSelected(r.id));
  const runSchema = options.schemaOnly || ruleSelected('schema');
  const objects = inputs.filter((i) => i.object && !structuralProblem(i.object)).map((i) => i.object as KubeObject);
  const target = options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const context = buildContext(objects, target.minor);
  /**
   * file + group/Kind/namespace/name of every object seen, to find the same object twice in one
   * input (a file, or stdin): kubectl apply would keep only the last. Separate files may each
   * define it (dist/local and dist/dev are separate apply units).
   */
  const seen = new Set<string>();
  const customResources = new CustomResourceSchemas();
  for (const crd of [...(options.crds ?? []), ...objects]) customResources.add(crd);
  const skipped = (o: KubeObject) => (options.skip ?? []).some((s) => s === o.kind || s === `${o.apiVersion}/${o.kind}`);
  let skippedCount = 0;
  const findings: Finding[] = [];
  const exemptions: Exemption[] = [];
  let valid = 0;
  let invalid = 0;
  let errors = 0;

  for (const input of inputs) {
    if (input.error !== undefined) {
      findings.push(finding(input, '(document)', '-', 'parse', '/', input.error, 'error'));
      errors++;
      continue;
    }
    const problem = structuralProblem(input.object);
    const o = input.object as KubeObject;
    if (!problem && skipped(o)) {
      skippedCount++;
      continue;
    }
    const kind = typeof o?.kind === 'string' && o.kind ? o.kind : '(no kind)';
    const ref = objectRef(o);
    if (problem) {
      findings.push(finding(input, kind, ref, 'schema', '/', problem, 'error'));
      errors++;
      continue;
    }
    const own: Finding[] = [];
    let status: FindingStatus | undefined;
    const identity = `${input.file ?? ''}\u0000${String(o.apiVersion).replace(/\/?v[0-9a-z]+$/, '')}/${kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? o.metadata?.generateName ?? ''}`;
    if (o.metadata?.name && seen.has(identity)) {
      own.push(finding(input, kind, ref, 'duplicate', 'metadata.name', `the same ${kind} ${ref} is defined earlier in this input; kubectl apply would keep only the last one`, 'invalid'));
    } else if (o.metadata?.name) {
      seen.add(identity);
    }
    const unserved = unservedProblem(String(o.apiVersion), kind, target);
    if (unserved) {
      own.push(finding(input, kind, ref, 'schema', 'apiVersion', unserved, 'error'));
      status = 'error';
    } else if (runSchema) {
      const schemaErrors = validateSchema(o) ?? customResources.validate(o);
      if (schemaErrors === null && options.ignoreMissingSchemas) {
        skippedCount++;
        continue;
      }
      if (schemaErrors !== null) for (const p of newerFieldProblems(o, target)) own.push(finding(input, kind, ref, 'schema', p.path, p.message, 'invalid'));
      if (schemaErrors === null) {
        own.push(finding(input, kind, ref, 'schema', '/', `no schema for ${o.apiVersion}/${kind} (unknown apiVersion or kind, or a custom resource whose CustomResourceDefinition is neither in the input nor given with --crd)`, 'error'));
        status = 'error';
      } else {
        for (const e of schemaErrors) own.push(finding(input, kind, ref, 'schema', e.path, e.message, 'invalid'));
      }
    }
    const exempt = parseExemptions(o);
    for (const rule of rules) {
      const violations = rule.check(o, context);
      if (!violations.length) continue;
      if (exempt.has(rule.id) && rule.exemptible && exempt.get(rule.id)) {
        exemptions.push({ file: input.file, kind, object: ref, ruleId: rule.id, reason: exempt.get(rule.id) as string });
        continue;
      }
      for (const v of violations) own.push(finding(input, kind, ref, rule.id, v.path, v.message, v.severity === 'warning' ? 'warning' : 'invalid'));
    }
    for (const [id, reason] of exempt) {
      const rule = ALL_RULES.find((r) => r.id === id);
      if (!rule) own.push(finding(input, kind, ref, 'policy.exemption', `metadata.annotations["${EXEMPT_ANNOTATION}"]`, `names unknown rule ${id}`, 'invalid'));
      else if (!rule.exemptible) own.push(finding(input, kind, ref, 'policy.exemption', `metadata.annotations["${EXEMPT_ANNOTATION}"]`, `${id} cannot be exempted`, 'invalid'));
      else if (!reason) own.push(finding(input, kind, ref, 'policy.exemption', `metadata.annotations["${EXEMPT_ANNOTATION}"]`, `exemption from ${id} needs a reason ("${id}: why")`, 'invalid'));
    }
    findings.push(...own);
    if (status === 'error') errors++;
    else if (own.some((f) => f.status !== 'warning')) invalid++;
    else valid++;
  }
  return { resources: inputs.length, valid, invalid, errors, skipped: skippedCount, warnings: findings.filter((f) => f.status === 'warning').length, findings, exemptions };
}
