import { newerFieldProblems, unservedProblem } from '../../lib/validate/api-versions';
import KUBE_VERSIONS from '../../lib/validate/kube-versions.json';

/**
 * What each Kubernetes version has, from its own OpenAPI documents (lib/validate/kube-versions.json,
 * npm run generate:kube-versions): kinds served and fields added, checked against the release
 * notes where they say it.
 */
const at = (minor: number) => ({ major: 1, minor });
const fields = KUBE_VERSIONS.fields as Record<string, Record<string, number>>;
const pod = (spec: object) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x:1' }], ...spec } });

test('the generated data covers every supported version, 1.28 to 1.36', () => {
  expect(Object.keys(KUBE_VERSIONS.modules).map(Number)).toEqual([28, 29, 30, 31, 32, 33, 34, 35, 36]);
});

test.each([
  ['v1/Pod', 'spec.securityContext.appArmorProfile', 30],
  ['v1/Pod', 'spec.containers[].securityContext.appArmorProfile', 30],
  ['v1/Pod', 'spec.securityContext.supplementalGroupsPolicy', 31],
  ['v1/Pod', 'spec.securityContext.seLinuxChangePolicy', 32],
  ['v1/Pod', 'spec.resources', 32],
  ['v1/Pod', 'spec.hostnameOverride', 34],
  ['v1/Pod', 'spec.volumes[].image', 31],
  ['v1/Service', 'spec.trafficDistribution', 30],
  ['apps/v1/Deployment', 'spec.template.spec.resources', 32],
])('%s %s was added in 1.%i, as the release notes say', (kind, path, minor) => {
  expect(fields[kind]?.[path]).toBe(minor);
});

test('a field added in 1.32 (a pod\'s resources) is refused at 1.31 and known at 1.32', () => {
  const o = pod({ resources: { limits: { cpu: '1' } } });
  expect(newerFieldProblems(o, at(31))).toEqual([{ path: 'spec.resources', message: 'is a field of Kubernetes 1.32 and later; Kubernetes 1.31 does not know it (target a newer version with --kubernetes-version, or drop it)' }]);
  expect(newerFieldProblems(o, at(32))).toEqual([]);
});

test('a field inside a list is named at each item that sets it', () => {
  const o = pod({ containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'x:1', lifecycle: { preStop: { sleep: { seconds: 1 } } } }] });
  expect(newerFieldProblems(o, at(28)).map((p) => p.path)).toEqual(['spec.containers[1].lifecycle.preStop.sleep']);
});

test('the DRA fields of 1.31 are refused at the default target, 1.28', () => {
  const o = pod({ resourceClaims: [{ name: 'gpu', resourceClaimName: 'gpu-claim' }] });
  expect(newerFieldProblems(o, at(28)).map((p) => p.path)).toEqual(['spec.resourceClaims[0].resourceClaimName']);
});

test('a kind added in 1.34 is not served by 1.33, and is by 1.34', () => {
  expect(unservedProblem('resource.k8s.io/v1', 'ResourceClaim', at(33))).toBe('resource.k8s.io/v1 ResourceClaim is not served by Kubernetes 1.33: it was added in 1.34; use resource.k8s.io/v1beta1 (behind a feature gate), or target a newer version with --kubernetes-version');
  expect(unservedProblem('resource.k8s.io/v1', 'ResourceClaim', at(34))).toBeUndefined();
});

test('a version removed in 1.32 is served by 1.31 and not by 1.32', () => {
  expect(unservedProblem('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', at(31))).toBeUndefined();
  expect(unservedProblem('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', at(32))).toBe('flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is not served by Kubernetes 1.32: it was removed in 1.32; use flowcontrol.apiserver.k8s.io/v1');
});

test('an API removed before 1.28 is refused with the migration guide\'s advice', () => {
  expect(unservedProblem('extensions/v1beta1', 'Deployment', at(28))).toBe('extensions/v1beta1 Deployment is not served by Kubernetes 1.28: it was removed in 1.16; use apps/v1');
});
