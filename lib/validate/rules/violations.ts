import type { KubeObject, Violation } from '../rule';

/**
 * How the `api.*` rules word a finding, as kube-apiserver's field errors do
 * (apimachinery/pkg/util/validation/field): one definition for every rule file.
 */

export const show = (v: unknown) => JSON.stringify(v);

/** `Invalid value: <value>: <rule>` (field.Invalid). */
export const bad = (path: string, value: unknown, rule: string): Violation => ({ path, message: `Invalid value: ${show(value)}: ${rule}` });

/** `Required value[: <what>]` (field.Required). */
export const required = (path: string, what = ''): Violation => ({ path, message: `Required value${what ? `: ${what}` : ''}` });

/** `Unsupported value: <value>: supported values: ...` (field.NotSupported). */
export const unsupported = (path: string, value: unknown, allowed: readonly string[]): Violation =>
  ({ path, message: `Unsupported value: ${show(value)}: supported values: ${allowed.map((a) => show(a)).join(', ')}` });

/** A list field, or none. */
export const list = (v: unknown): KubeObject[] => (Array.isArray(v) ? v : []);

/** IsValidPathSegmentName: any name but '.' and '..', without '/' or '%' (PDBs, RBAC names, scale targets). */
export function pathSegmentProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'must be a string';
  return name === '.' || name === '..' || /[/%]/.test(name) ? "may not be '.' or '..' and may not contain '/' or '%'" : undefined;
}
