/**
 * The label sets every object carries: the Kubernetes recommended labels, plus
 * the short labels that people and AI tools (kubectl-ai, kagent) query by.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */

/** What identifies one component of one application instance. */
export interface LabelOptions {
  /** The application the component belongs to (`app.kubernetes.io/part-of` and `app`). */
  readonly partOf: string;
  /** The instance (release) name (`app.kubernetes.io/instance`). */
  readonly instance: string;
  /** The component (`app.kubernetes.io/name`, `app.kubernetes.io/component`, `tier`, `component`). */
  readonly component: string;
  /** The version (`app.kubernetes.io/version` and `version`), usually the image tag. */
  readonly version: string;
  /** The environment (`environment`). */
  readonly environment: string;
  /**
   * The tool that manages the object (`app.kubernetes.io/managed-by`).
   * @default 'cdk8s'
   */
  readonly managedBy?: string;
}

/** Label keys whose value changes between releases; they never go into a selector. */
export const VOLATILE_LABEL_KEYS: readonly string[] = ['app.kubernetes.io/version', 'version', 'helm.sh/chart', 'cdk8s.io/metadata.addr'];

/** The full label set of S4 for one component. */
export function standardLabels(options: LabelOptions): Record<string, string> {
  return {
    'app.kubernetes.io/name': options.component,
    'app.kubernetes.io/instance': options.instance,
    'app.kubernetes.io/version': options.version,
    'app.kubernetes.io/component': options.component,
    'app.kubernetes.io/part-of': options.partOf,
    'app.kubernetes.io/managed-by': options.managedBy ?? 'cdk8s',
    app: options.partOf,
    tier: options.component,
    component: options.component,
    environment: options.environment,
    version: options.version,
  };
}

/** The keys of the standard label set, which extra labels (`podLabels`, `commonLabels`) may not set. */
export const STANDARD_LABEL_KEYS: readonly string[] = Object.keys(standardLabels({ partOf: 'p', instance: 'i', component: 'c', version: 'v', environment: 'e' }));

/** The labels that select one component's pods: stable across releases and construct renames. */
export function selectorLabels(options: Pick<LabelOptions, 'instance' | 'component'>): Record<string, string> {
  return {
    'app.kubernetes.io/name': options.component,
    'app.kubernetes.io/instance': options.instance,
  };
}
