import { pinnedVersions } from '../../lib/cluster/build';
import { isSupportedVersion, NEWEST_KUBERNETES_VERSION } from '../../lib/validate/api-versions';
import { applySetId } from '../../lib/deploy/kube';
import { conflictsOf, formatPath, leftByHpa, resourceOf } from '../../lib/deploy/plan';

describe('plan helpers', () => {
  test('a key path quotes keys that hold dots or slashes, and indexes arrays', () => {
    expect(formatPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(formatPath(['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('spec.template.spec.containers[0].image');
  });

  test('an apply conflict names each manager, with its subresource, and each field', () => {
    const message = [
      'error: Apply failed with 2 conflicts: conflicts with "kubectl-edit" using v1:',
      '- .data.LOG_LEVEL',
      '- .data.EXTRA',
      'conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
    ].join('\n');
    expect(conflictsOf(message)).toEqual([
      { manager: 'kubectl-edit', field: '.data.LOG_LEVEL' },
      { manager: 'kubectl-edit', field: '.data.EXTRA' },
      { manager: 'kubectl (/scale)', field: '.spec.replicas' },
    ]);
  });

  test('the kubectl resource of a kind includes its group', () => {
    expect(resourceOf({ apiVersion: 'apps/v1', kind: 'Deployment' })).toBe('deployment.apps');
    expect(resourceOf({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe('configmap');
  });

  test('the ApplySet id has the v1 shape kubectl gives it, one per namespace', () => {
    expect(applySetId('todo')).toMatch(/^applyset-[A-Za-z0-9_-]{43}-v1$/);
    expect(applySetId('todo')).not.toBe(applySetId('todo-prod'));
  });

  describe('replicas an HPA held', () => {
    const live = (managers: Array<{ manager: string; subresource?: string }>) => ({
      kind: 'Deployment', metadata: { name: 'web', managedFields: managers.map((m) => ({ ...m, fieldsV1: { 'f:spec': { 'f:replicas': {} } } })) },
    });
    const fixed = { kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 } };
    const hpa = { kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' } } };

    test('are taken back when the render drops the HPA and sets them itself', () => {
      expect(leftByHpa(live([{ manager: 'kube-controller-manager', subresource: 'scale' }]), [fixed])).toBe(true);
    });

    test('stay with the HPA while the render still holds it', () => {
      expect(leftByHpa(live([{ manager: 'kube-controller-manager', subresource: 'scale' }]), [{ ...fixed, spec: {} }, hpa])).toBe(false);
    });

    test('are drift when a person scaled them (kubectl scale), not a handover', () => {
      expect(leftByHpa(live([{ manager: 'kubectl', subresource: 'scale' }]), [fixed])).toBe(false);
    });
  });
});

describe('the Kubernetes versions deploy accepts from a server', () => {
  test('are the validator\'s, 1.28 to 1.36, and no other', () => {
    expect(isSupportedVersion({ major: 1, minor: 28 })).toBe(true);
    expect(isSupportedVersion({ major: 1, minor: 36 })).toBe(true);
    expect(isSupportedVersion({ major: 1, minor: 27 })).toBe(false);
    expect(isSupportedVersion({ major: 1, minor: 37 })).toBe(false);
  });

  test('reach the version the test clusters are built from', () => {
    const built = pinnedVersions().kubernetes.replace(/^v/, '').split('.').map(Number);
    expect(NEWEST_KUBERNETES_VERSION).toEqual({ major: built[0], minor: built[1] });
  });
});
