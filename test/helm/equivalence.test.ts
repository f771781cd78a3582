import { compareObjectSets } from '../../lib/helm/equivalence';
import { stackOf } from '../app/support';
import type { Obj } from '../support';

describe('the dist/ vs helm template comparison', () => {
  const base = () => structuredClone(stackOf('local'));

  test('ignores exactly what SPEC S8 allows: Namespace, metadata.namespace, Helm-only labels, test hooks', () => {
    const helm = base().filter((o) => o.kind !== 'Namespace');
    for (const o of helm) {
      o.metadata.namespace = 'other';
      o.metadata.labels['helm.sh/chart'] = 'todo-stack-0.1.0';
      o.metadata.labels['app.kubernetes.io/managed-by'] = 'Helm';
    }
    helm.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'todo-test', annotations: { 'helm.sh/hook': 'test' } } });
    expect(compareObjectSets(base(), helm)).toEqual([]);
  });

  test('reports a changed field, a missing object and an extra one', () => {
    const helm = base();
    (helm.find((o) => o.kind === 'Deployment' && o.metadata.name === 'todo-backend') as Obj).spec.replicas = 3;
    const removed = helm.findIndex((o) => o.kind === 'ConfigMap');
    const [configMap] = helm.splice(removed, 1);
    helm.push({ ...structuredClone(configMap), metadata: { ...configMap.metadata, name: 'extra' } });
    expect(compareObjectSets(base(), helm)).toEqual([
      `missing in actual: ConfigMap/${configMap.metadata.name}`,
      'unexpected in actual: ConfigMap/extra',
      'differs: Deployment/todo-backend spec.replicas',
    ]);
  });

  test('a version label counts as a difference', () => {
    const helm = base();
    helm[1].metadata.labels.version = '9.9.9';
    expect(compareObjectSets(base(), helm)).toEqual([`differs: ${helm[1].kind}/${helm[1].metadata.name} metadata.labels.version`]);
  });
});
