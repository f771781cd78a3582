import { containersOf, namespaceOf, podTemplateOf, selects } from '../pod-spec';
import type { KubeObject, Rule, RuleContext, Violation } from '../rule';

/** Rules that need every object of the set, and the secret-hygiene rules (SPEC S3, S7). */
const SOURCE = 'todo-stack SPEC S3/S7 (cross-object)';

function rule(id: string, kinds: readonly string[], check: (o: KubeObject, ctx: RuleContext) => Violation[], exemptible = true): Rule {
  return { id, source: SOURCE, exemptible, check: (o, ctx) => (kinds.includes(o.kind) ? check(o, ctx) : []) };
}

const selectsSomePod = (o: KubeObject, ctx: RuleContext, selector: KubeObject | undefined) => ctx.podOwnersSelectedBy(namespaceOf(o), selector).length > 0;

/** Names that secrets often have: a reason to look twice, never a finding on its own (SPEC S7). */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|CREDENTIALS|DATABASE_URL)/i;

/** What a value looks like when it is a credential, by its content (the patterns of secret scanners). */
const SECRET_CONTENT: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/, 'a private key'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bsk-(?:proj-|live-|test-)?[A-Za-z0-9_-]{20,}/, 'an API secret key (sk-...)'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'a JSON Web Token'],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@$]+@/i, 'a URL with a password'],
];

function secretContent(value: string): string | undefined {
  return SECRET_CONTENT.find(([re]) => re.test(value))?.[1];
}

export const CROSS_OBJECT_RULES: readonly Rule[] = [
  rule('xref.service-selects-pods', ['Service'], (o, ctx) => {
    const selector = o.spec?.selector;
    if (!selector || o.spec?.type === 'ExternalName') return [];
    return selectsSomePod(o, ctx, { matchLabels: selector }) ? []
      : [{ path: 'spec.selector', message: 'selects no pods in this set; fix the selector or add the workload' }];
  }),

  rule('xref.selector-matches-template', ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'], (o) => {
    const t = podTemplateOf(o);
    return t && !selects(o.spec?.selector, t.metadata.labels) ? [{ path: 'spec.selector', message: 'does not match the pod template labels' }] : [];
  }),

  rule('xref.hpa-target', ['HorizontalPodAutoscaler'], (o, ctx) => {
    const ref = o.spec?.scaleTargetRef ?? {};
    const target = ctx.ofKind(ref.kind, namespaceOf(o)).find((x) => x.metadata?.name === ref.name);
    if (!target) return [{ path: 'spec.scaleTargetRef', message: `targets ${ref.kind}/${ref.name}, which is not in this set` }];
    return target.spec?.replicas !== undefined && target.spec?.replicas !== null
      ? [{ path: 'spec.scaleTargetRef', message: `${ref.kind}/${ref.name} sets spec.replicas, which fights the HPA; leave it out` }] : [];
  }),

  rule('xref.pdb-selects-pods', ['PodDisruptionBudget'], (o, ctx) => (selectsSomePod(o, ctx, o.spec?.selector) ? []
    : [{ path: 'spec.selector', message: 'selects no pods in this set' }])),

  rule('xref.pdb-allows-eviction', ['PodDisruptionBudget'], (o, ctx) => {
    const out: Violation[] = [];
    const spec = o.spec ?? {};
    if (spec.unhealthyPodEvictionPolicy !== 'AlwaysAllow') out.push({ path: 'spec.unhealthyPodEvictionPolicy', message: 'set AlwaysAllow so unhealthy pods never block a drain' });
    if (spec.maxUnavailable !== undefined) {
      if (spec.maxUnavailable === 0 || spec.maxUnavailable === '0%') out.push({ path: 'spec.maxUnavailable', message: 'must allow at least one eviction' });
    } else if (spec.minAvailable !== undefined) {
      const workload = ctx.podOwnersSelectedBy(namespaceOf(o), spec.selector)[0];
      const replicas = workload?.object.spec?.replicas;
      if (spec.minAvailable === '100%' || (typeof replicas === 'number' && typeof spec.minAvailable === 'number' && spec.minAvailable >= replicas)) {
        out.push({ path: 'spec.minAvailable', message: 'blocks every eviction; use maxUnavailable: 1' });
      }
    } else {
      out.push({ path: 'spec', message: 'set maxUnavailable: 1' });
    }
    return out;
  }),

  rule('xref.netpol-covers-pods', ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController'], (o, ctx) => {
    const labels = podTemplateOf(o)?.metadata.labels ?? {};
    const covered = ctx.networkPoliciesSelecting(namespaceOf(o), labels).length > 0;
    return covered ? [] : [{ path: 'metadata', message: 'no NetworkPolicy selects these pods; add a default-deny policy and allow the flows' }];
  }),

  rule('xref.netpol-covers-egress', ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController'], (o, ctx) => {
    const labels = podTemplateOf(o)?.metadata.labels ?? {};
    const policies = ctx.networkPoliciesSelecting(namespaceOf(o), labels);
    if (policies.length === 0) return []; // xref.netpol-covers-pods reports it
    // policyTypes defaults to Ingress, plus Egress when the policy has egress rules (NetworkPolicySpec).
    const egress = policies.some((p) => (p.spec?.policyTypes ?? (p.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'])).includes('Egress'));
    return egress ? [] : [{ path: 'metadata', message: 'NetworkPolicies restrict only ingress to these pods; add Egress to a policy that selects them (default deny), then allow the flows they need' }];
  }),

  rule('xref.netpol-selects-pods', ['NetworkPolicy'], (o, ctx) => {
    const selector = o.spec?.podSelector ?? {};
    if (Object.keys(selector).length === 0 || (Object.keys(selector.matchLabels ?? {}).length === 0 && !(selector.matchExpressions ?? []).length)) return [];
    return selectsSomePod(o, ctx, selector) ? [] : [{ path: 'spec.podSelector', message: 'selects no pods in this set' }];
  }),

  rule('xref.service-account-exists', ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'], (o, ctx) => {
    const name = podTemplateOf(o)?.spec.serviceAccountName;
    if (!name || name === 'default') return [];
    return ctx.ofKind('ServiceAccount', namespaceOf(o)).some((x) => x.metadata?.name === name) ? []
      : [{ path: `${podTemplateOf(o)?.path}.serviceAccountName`, message: `ServiceAccount ${name} is not in this set` }];
  }),

  // Exemptible, with a reason, for a Secret made at install time (a chart's `secrets.create`), never committed.
  rule('secrets.no-data', ['Secret'], (o) => ['data', 'stringData']
    .filter((f) => o[f] && Object.keys(o[f]).length > 0)
    .map((f) => ({ path: f, message: 'a Secret with values must never be committed; create it with kubectl or a secret manager' }))),

  rule('secrets.value-looks-secret', ['ConfigMap', 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'], (o) => {
    const values: Array<{ path: string; name: string; value: unknown }> = [];
    if (o.kind === 'ConfigMap') for (const [k, v] of Object.entries((o.data ?? {}) as Record<string, unknown>)) values.push({ path: `data[${JSON.stringify(k)}]`, name: k, value: v });
    const t = podTemplateOf(o);
    // An env literal whose name looks secret is secrets.no-literal's finding already: one finding per problem.
    if (t) {
      for (const { container, path } of containersOf(t)) {
        ((container.env ?? []) as KubeObject[]).forEach((e, i) => {
          if (!SECRET_NAME.test(String(e?.name))) values.push({ path: `${path}.env[${i}].value`, name: String(e?.name), value: e?.value });
        });
      }
    }
    return values.flatMap(({ path, name, value }) => {
      const kind = typeof value === 'string' ? secretContent(value) : undefined;
      if (kind) return [{ path, message: `${name} holds what looks like ${kind}; put it in a Secret and read it with secretKeyRef` }];
      // A name alone proves nothing (an LLM's MAX_TOKENS is a number): at most a warning.
      if (o.kind === 'ConfigMap' && SECRET_NAME.test(name) && typeof value === 'string' && value !== '') return [{ path, severity: 'warning' as const, message: `${name} has a name that secrets often have; if its value is a credential, put it in a Secret` }];
      return [];
    });
  }, false),

  rule('secrets.no-literal', ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'], (o) => {
    const t = podTemplateOf(o);
    if (!t) return [];
    return containersOf(t).flatMap(({ container, path }) => (container.env ?? [])
      .map((e: KubeObject, i: number) => ({ e, i }))
      .filter(({ e }: { e: KubeObject }) => SECRET_NAME.test(String(e?.name)) && typeof e?.value === 'string' && e.value !== '')
      .map(({ e, i }: { e: KubeObject; i: number }) => {
        const kind = secretContent(e.value);
        // The value decides; a name alone (MAX_TOKENS, TOKEN_LIMIT) is only a warning.
        return kind
          ? { path: `${path}.env[${i}].value`, message: `${e.name} holds what looks like ${kind} as a literal value; read it with secretKeyRef` }
          : { path: `${path}.env[${i}].value`, severity: 'warning' as const, message: `${e.name} has a name that secrets often have and a literal value; if it is a credential, read it with secretKeyRef` };
      }));
  }, false),
];
