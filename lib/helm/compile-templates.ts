import type { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { REPLICA_DECISIONS, type ReplicaCounts, replicaDecisionsOf, STANDARD_LABEL_KEYS } from '../../constructs';
import { evaluate, type Expr, toGo } from '../../constructs/expr';
import { buildTemplate, type FieldPath, type Hole } from './template-builder';
import { ChartCompileError, type DerivedValue, traceBindings } from './trace-bindings';

/**
 * The app-agnostic half of the chart compiler: every object an app synthesizes becomes a
 * template. The app is synthesized under a reference release name with reference values (every
 * optional part on); the object's YAML is kept as written, and only what values drive becomes a
 * template action:
 * - by value: names under the release's prefix, the standard label sets and selectors of
 *   constructs/labels.ts, the namespace;
 * - by the constructs' recorded replica decisions (constructs/replica-decisions.ts): a PDB, the
 *   default spread, `maxUnavailable`, compiled from the one expression the construct evaluated,
 *   over the replica counts the app derives from its values;
 * - by tracing the app's synthesis (trace-bindings.ts): every field a value drives, and the
 *   booleans an object's or a key's existence follows.
 */

type Obj = Record<string, any>;

/** The release name the reference objects are synthesized under. */
export const REFERENCE_RELEASE = 'refrelease';

/**
 * A marker key: an app puts it in each optional map of its reference values, so that the key a
 * value can add exists in the reference objects; it never reaches a template.
 */
export const REFERENCE_MARKER = 'marker.todo-stack.io/ref';

/** What an app synthesizes from complete values under a release name. */
export interface Synthesis {
  readonly objects: readonly Obj[];
  /** The construct tree, for the decisions its constructs recorded. */
  readonly root?: IConstruct;
}

/** App-specific template parts of one object (an app migrating its hand-kept holes). */
export interface ObjectCustomization {
  readonly holes?: readonly Hole[];
  /** Render the object only when this holds. */
  readonly condition?: string;
  /**
   * Trace the object's values too (default true). An app may turn it off for an object it
   * templates wholly by hand: tracing then costs nothing for it.
   */
  readonly trace?: boolean;
  /** Template lines before the object's own preamble is closed (variables). */
  readonly preamble?: readonly string[];
  /** Named templates written before the object. */
  readonly before?: string;
}

export interface TemplateSource {
  /** The chart's name: the prefix of its named templates. */
  readonly prefix: string;
  /** Complete values with every optional part on; an object is templated from the first that has it. */
  readonly references: readonly unknown[];
  /** The app's synthesis; throws for values it refuses. */
  synthesize(values: unknown, release: string): Synthesis;
  /** Derived values the chart has named templates for (`image.api`), each one expression. */
  readonly derived: Readonly<Record<string, Expr>>;
  /** The replica counts a workload's decisions read, by its component label, as the app derives them from values. */
  replicaCounts?(component: string): Record<keyof ReplicaCounts, Expr> | undefined;
  /** Value paths the tracer never changes: preset switches and name overrides. */
  readonly skip?: readonly string[];
  /** JSON schema of complete values: the tracer tries an enum's other members. */
  readonly schema?: object;
  /** Reference literals that stand for a named template's value (a Secret name), as Go. */
  readonly literals?: Readonly<Record<string, string>>;
  /** Merge `$v.commonAnnotations` into every object's annotations. */
  readonly commonAnnotations?: boolean;
  /** The chart's appVersion: a version label holding it renders `.Chart.AppVersion`. */
  readonly appVersion: string;
  /** Extra annotations (Go dict expressions) of an object's metadata, beyond its own. */
  extraAnnotations?(object: Obj): readonly string[];
  /** App-specific parts of an object. */
  customize?(object: Obj): ObjectCustomization | undefined;
}

const pathKey = (path: FieldPath) => path.join('\u0000');
const objectKey = (o: Obj) => `${o.kind}/${o.metadata?.name}`;

/** A string map as a Go dict expression; a key in `holes` takes that Go expression instead of its value. */
export function goDict(entries: ReadonlyArray<[string, string]>, holes: Record<string, string> = {}): string {
  return `(dict${entries.map(([k, v]) => ` ${JSON.stringify(k)} ${holes[k] ?? JSON.stringify(v)}`).join('')})`;
}

/** An object's own annotations (without the marker), as a Go dict expression. */
export function ownAnnotations(annotations: Record<string, string> | undefined, holes: Record<string, string> = {}): string {
  return goDict(Object.entries(annotations ?? {}).filter(([k]) => k !== REFERENCE_MARKER), holes);
}

/** Holes that merge maps into `metadata.annotations`: its own, then `extra`, then commonAnnotations. */
function annotationHoles(object: Obj, extra: readonly string[], commonAnnotations: boolean): Hole[] {
  const path = ['metadata', 'annotations'];
  const own: Record<string, string> = object.metadata?.annotations ?? {};
  const maps = [ownAnnotations(own), ...extra, ...(commonAnnotations ? ['$v.commonAnnotations'] : [])];
  if (maps.length === 1) return [];
  const merged = `merge ${maps.join(' ')}`;
  // With no annotation of its own, the key is written only when a merged map holds one.
  const hasOwn = Object.keys(own).some((k) => k !== REFERENCE_MARKER);
  return [{ kind: 'block', path, expr: `${merged} | toYaml` }, ...(hasOwn ? [] : [{ kind: 'when' as const, path, cond: merged }])];
}

const isLabelSet = (m: Obj) => typeof m['app.kubernetes.io/part-of'] === 'string' && typeof m.tier === 'string';
const isSelector = (m: Obj) => Object.keys(m).length === 2 && m['app.kubernetes.io/instance'] === REFERENCE_RELEASE && typeof m['app.kubernetes.io/name'] === 'string';

/** A label set's template: the standard labels of its component, and its own labels beyond them. */
export function labelsExpr(source: Pick<TemplateSource, 'prefix' | 'derived' | 'appVersion'>, labels: Obj, version?: string, extra?: string): string {
  const component = String(labels.tier);
  const value = String(labels['app.kubernetes.io/version'] ?? '');
  const versionGo = version
    ?? (source.derived[`version.${component}`] ? `(include "${source.prefix}.version.${component}" $)` : value === source.appVersion ? '$.Chart.AppVersion' : JSON.stringify(value));
  const own = Object.entries(labels).filter(([k]) => !STANDARD_LABEL_KEYS.includes(k));
  const extras = extra ?? (own.length ? goDict(own) : undefined);
  return `include "${source.prefix}.labels" (dict "root" $ "component" ${JSON.stringify(component)} "version" ${versionGo} "environment" $v.environment${extras ? ` "extra" ${extras}` : ''})`;
}

/** Holes found by value: names, label sets, selectors, the namespace, and the app's literals. */
export function automaticHoles(source: Pick<TemplateSource, 'prefix' | 'derived' | 'appVersion' | 'literals'>, object: Obj, versionAt: (labels: FieldPath) => string | undefined = () => undefined): Hole[] {
  const holes: Hole[] = [];
  const walk = (node: unknown, path: FieldPath) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, i]));
    } else if (node && typeof node === 'object') {
      const map = node as Obj;
      if (path.length && isLabelSet(map)) holes.push({ kind: 'block', path, expr: labelsExpr(source, map, versionAt(path)) });
      else if (path.length && isSelector(map)) holes.push({ kind: 'block', path, expr: `include "${source.prefix}.selectorLabels" (dict "root" $ "component" ${JSON.stringify(map['app.kubernetes.io/name'])})` });
      else for (const [k, v] of Object.entries(map)) walk(v, [...path, k]);
    } else if (typeof node === 'string') {
      const literal = source.literals?.[node];
      if (node.startsWith(`${REFERENCE_RELEASE}-`)) holes.push({ kind: 'value', path, expr: `printf "%s-${node.slice(REFERENCE_RELEASE.length + 1)}" $fullname` });
      else if (node === REFERENCE_RELEASE) holes.push({ kind: 'value', path, expr: '$.Release.Name' });
      else if (literal) holes.push({ kind: 'value', path, expr: literal });
      else if (path.length === 2 && path[0] === 'metadata' && path[1] === 'namespace') holes.push({ kind: 'value', path, expr: '$.Release.Namespace' });
    }
  };
  walk(object, []);
  return holes;
}

/** `deployment-api.yaml`, `configmap-backend-config.yaml`, `namespace.yaml`: by kind and object. */
export function templateName(object: Obj): string {
  // A release installs into one namespace, whatever the reference called it.
  if (object.kind === 'Namespace') return 'namespace.yaml';
  const name = String(object.metadata?.name ?? '');
  const suffix = name.startsWith(`${REFERENCE_RELEASE}-`) ? name.slice(REFERENCE_RELEASE.length + 1) : name === REFERENCE_RELEASE ? '' : name;
  return `${String(object.kind).toLowerCase()}${suffix ? `-${suffix}` : ''}.yaml`;
}

/** The first lines of every template: the effective values and the name prefix. */
export function preambleOf(prefix: string, extra: readonly string[] = []): string[] {
  return [
    '{{- /* Generated by the todo-stack chart compiler from the cdk8s constructs. Do not edit. */}}',
    `{{- $v := include "${prefix}.values" . | fromJson }}`,
    `{{- $fullname := include "${prefix}.fullname" . }}`,
    ...extra,
  ];
}

/** The template variables a workload's replica decisions read: `$minReplicas`, `$maxReplicas`. */
const COUNT_VARIABLES: Record<keyof ReplicaCounts, string> = { minReplicas: '$minReplicas', maxReplicas: '$maxReplicas' };

/** A replica decision of the constructs as Go, over the count variables (`countVariables`). */
export function decisionGo(prefix: string, decision: keyof typeof REPLICA_DECISIONS): string {
  return toGo(REPLICA_DECISIONS[decision], prefix, COUNT_VARIABLES);
}

/** Template lines that set the count variables from the app's expressions over its values. */
export function countVariables(prefix: string, counts: Record<keyof ReplicaCounts, Expr>): string[] {
  return (Object.keys(COUNT_VARIABLES) as Array<keyof ReplicaCounts>).map((name) => `{{- ${COUNT_VARIABLES[name]} := ${toGo(counts[name], prefix)} }}`);
}

interface DecisionParts {
  readonly holes: Hole[];
  readonly conditions: string[];
  /** The count variables the decisions read. */
  readonly preamble: readonly string[];
}

/** What the recorded replica decisions template: holes by object, and objects' conditions. */
function decisionParts(source: TemplateSource, root: IConstruct | undefined, reference: unknown): Map<string, DecisionParts> {
  const out = new Map<string, DecisionParts>();
  for (const record of root ? replicaDecisionsOf(root) : []) {
    const object = record.object as ApiObject;
    const key = `${object.kind}/${object.metadata.name}`;
    const component = object.metadata.getLabel('app.kubernetes.io/component') ?? '';
    const counts = source.replicaCounts?.(component);
    // Without the app's counts, the tracer sees what the decision governs like any other field.
    if (!counts) continue;
    const decision = REPLICA_DECISIONS[record.decision];
    const theirs = evaluate(decision, { values: {}, names: { ...record.counts } });
    const ours = evaluate(decision, { values: reference, names: Object.fromEntries(Object.entries(counts).map(([n, e]) => [n, evaluate(e, { values: reference })])) });
    if (theirs !== ours) {
      throw new ChartCompileError([`${key}: the construct decided ${record.decision} = ${JSON.stringify(theirs)} from ${JSON.stringify(record.counts)}, and the app's replicaCounts for ${component} give ${JSON.stringify(ours)}`]);
    }
    const go = decisionGo(source.prefix, record.decision);
    const part = out.get(key) ?? { holes: [], conditions: [], preamble: countVariables(source.prefix, counts) };
    if (record.effect === 'object') part.conditions.push(go);
    else if (record.effect === 'key') part.holes.push({ kind: 'when', path: record.path ?? [], cond: go });
    else part.holes.push({ kind: 'value', path: record.path ?? [], expr: go });
    out.set(key, part);
  }
  return out;
}

/** Holes later in a list replace earlier ones at the same path and kind; conditional keys come last. */
function merged(...lists: ReadonlyArray<readonly Hole[]>): Hole[] {
  const byPath = new Map<string, Hole>();
  for (const hole of lists.flat()) byPath.set(`${hole.kind === 'when' ? 'when' : 'fill'}:${pathKey(hole.path)}`, hole);
  const holes = [...byPath.values()];
  return [...holes.filter((h) => h.kind !== 'when'), ...holes.filter((h) => h.kind === 'when')];
}

/** Every object template of the app, by file name under `templates/`. */
export function compileTemplates(source: TemplateSource): Map<string, string> {
  const syntheses = source.references.map((values) => source.synthesize(values, REFERENCE_RELEASE));
  const objects = new Map<string, { object: Obj; home: number }>();
  syntheses.forEach((s, home) => {
    for (const object of s.objects) if (!objects.has(objectKey(object))) objects.set(objectKey(object), { object, home });
  });
  const decisions = new Map<string, DecisionParts>();
  syntheses.forEach((s, home) => {
    for (const [key, part] of decisionParts(source, s.root, source.references[home])) if (objects.get(key)?.home === home) decisions.set(key, part);
  });
  const custom = new Map([...objects].map(([key, { object }]) => [key, source.customize?.(object)]));
  // Helm installs into a namespace it does not create: a Namespace is in the chart only when the app says when.
  for (const [key, { object }] of objects) if (object.kind === 'Namespace' && !custom.get(key)?.condition) objects.delete(key);

  const versionKeys = ['app.kubernetes.io/version', 'version'];
  const automaticByKey = new Map<string, Hole[]>();
  const traced = traceBindings({
    references: source.references,
    synthesize: (values) => source.synthesize(values, REFERENCE_RELEASE).objects,
    targets: new Map([...objects].filter(([key]) => custom.get(key)?.trace !== false).map(([key, { home }]) => [key, home])),
    objectKey,
    known: objects,
    covered: (key, field) => {
      const automatic = automaticByKey.get(key) ?? automaticHoles(source, (objects.get(key) as { object: Obj }).object);
      automaticByKey.set(key, automatic);
      const own = [...(decisions.get(key)?.holes ?? []), ...(custom.get(key)?.holes ?? [])];
      if (!field.length) return Boolean(decisions.get(key)?.conditions.length || custom.get(key)?.condition);
      if (field[0] === 'metadata' && field[1] === 'annotations' && source.commonAnnotations) return true;
      if (own.some((h) => h.path.every((k, i) => field[i] === k))) return true;
      // A label set is templated, but for its version, which the tracer binds.
      return automatic.some((h) => {
        const inside = h.path.every((k, i) => field[i] === k);
        return inside && !(h.kind === 'block' && field.length === h.path.length + 1 && versionKeys.includes(String(field[field.length - 1])));
      });
    },
    derived: Object.entries(source.derived).map(([name, expr]): DerivedValue => ({
      go: `include "${source.prefix}.${name}" $`,
      evaluate: (values) => evaluate(expr, { values, release: REFERENCE_RELEASE }),
    })),
    skip: source.skip,
    schema: source.schema,
  });

  const files = new Map<string, string>();
  for (const [key, { object }] of objects) {
    const fromValues = traced.get(key);
    const customization = custom.get(key);
    const versionAt = (labels: FieldPath) => {
      const hole = fromValues?.holes.find((h) => pathKey(h.path) === pathKey([...labels, 'app.kubernetes.io/version']));
      return hole?.kind === 'value' ? `(${hole.expr})` : undefined;
    };
    const holes = merged(
      automaticHoles(source, object, versionAt),
      annotationHoles(object, source.extraAnnotations?.(object) ?? [], source.commonAnnotations ?? false),
      fromValues?.holes ?? [],
      decisions.get(key)?.holes ?? [],
      customization?.holes ?? [],
    );
    const conditions = [...(decisions.get(key)?.conditions ?? []), ...(fromValues?.conditions ?? []), ...(customization?.condition ? [customization.condition] : [])];
    const condition = conditions.length > 1 ? `and ${conditions.map((c) => `(${c})`).join(' ')}` : conditions[0];
    const text = buildTemplate(object, holes, { preamble: preambleOf(source.prefix, [...(customization?.preamble ?? []), ...(decisions.get(key)?.preamble ?? [])]), condition });
    const name = templateName(object);
    if (files.has(name)) throw new ChartCompileError([`${key}: two objects would share the template ${name}`]);
    files.set(name, customization?.before ? `${customization.before}\n${text}` : text);
  }
  return files;
}
