import { parseManifests } from '../../lib/validate/documents';
import { validateObjects, withoutNulls } from '../../lib/validate/validator';

/** An explicit null is unset, as the API server reads it (issue 23): charts render such nulls. */

const schemaLines = (text: string) => validateObjects(parseManifests(text), { schemaOnly: true }).findings.map((f) => f.line);

test.each([
  ['an optional enum (Service type, port protocol)', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: null\n  selector: {app: x}\n  ports:\n    - port: 80\n      protocol: null\n'],
  ['a map (labels, annotations)', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: null\n  annotations: ~\ndata: {a: b}\n'],
  ['a container field (imagePullPolicy) and a pod field (restartPolicy)', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: null\n  containers:\n    - name: a\n      image: busybox:1.36.1\n      imagePullPolicy: null\n'],
])('null in %s is no schema finding', (_what, text) => {
  expect(schemaLines(text)).toEqual([]);
});

test('a null list item is still a finding', () => {
  expect(schemaLines('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - null\n').length).toBeGreaterThan(0);
});

test('an object without null comes back as the same object', () => {
  const o = { a: { b: [1, { c: 'x' }] } };
  expect(withoutNulls(o)).toBe(o);
});

test('only the fields set to null are dropped', () => {
  expect(withoutNulls({ a: null, b: { c: null, d: 1 }, e: [null, { f: null }] })).toEqual({ b: { d: 1 }, e: [null, {}] });
});
