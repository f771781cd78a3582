import { podTemplateOf } from '../pod-spec';
import type { Rule, Violation } from '../rule';

/** SPEC S4: the labels every object carries, and the description annotation of workloads. */
const SOURCE = 'todo-stack SPEC S4 (labels); Kubernetes recommended labels';

const RECOMMENDED = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/version', 'app.kubernetes.io/component', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by'];
const QUERY = ['app', 'tier', 'component', 'environment', 'version'];
const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'];

const missing = (labels: Record<string, string> | undefined, keys: string[], path: string): Violation[] =>
  keys.filter((k) => !labels?.[k]).map((k) => ({ path: `${path}["${k}"]`, message: `add the label ${k}` }));

export const LABEL_RULES: readonly Rule[] = [
  { id: 'labels.recommended', source: SOURCE, exemptible: true, check: (o) => missing(o.metadata?.labels, RECOMMENDED, 'metadata.labels') },
  {
    id: 'labels.query',
    source: SOURCE,
    exemptible: true,
    check: (o) => {
      const labels = o.metadata?.labels;
      const out = missing(labels, QUERY, 'metadata.labels');
      if (labels?.tier && labels?.component && labels.tier !== labels.component) out.push({ path: 'metadata.labels["component"]', message: 'component must equal tier' });
      const t = podTemplateOf(o);
      if (t && o.kind !== 'Pod') out.push(...missing(t.metadata.labels, [...RECOMMENDED, ...QUERY], `${t.metadataPath}.labels`));
      return out;
    },
  },
  {
    id: 'labels.description',
    source: SOURCE,
    exemptible: true,
    check: (o) => (WORKLOADS.includes(o.kind) && !o.metadata?.annotations?.description
      ? [{ path: 'metadata.annotations["description"]', message: 'add a one-line description annotation for people and AI tools' }] : []),
  },
];
