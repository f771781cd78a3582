import type { Construct } from 'constructs';
import { propError } from './errors';

// apimachinery/pkg/util/validation's syntax, defined once: the constructs check their props with
// it, and the validator's api.* rules (lib/validate/rules/api.ts) check any object with it.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A ConfigMap or Secret key (IsConfigMapKey, without its length and dot rules). */
export const CONFIG_KEY_PATTERN = /^[-._a-zA-Z0-9]+$/;

/** A string that must match `pattern` and be at most `max` characters: the shape of apimachinery's IsXxx checks. */
export function syntaxProblem(s: unknown, max: number, pattern: RegExp, what: string, rule: string): string | undefined {
  if (typeof s !== 'string') return 'must be a string';
  if (s.length > max) return `must be no more than ${max} characters (${what})`;
  return pattern.test(s) ? undefined : rule;
}

/** IsDNS1123Label: what is wrong with `s` as a DNS-1123 label, if anything. */
export const dns1123LabelProblem = (s: unknown) => syntaxProblem(s, 63, DNS1123_LABEL, 'a lowercase RFC 1123 label',
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");

/** IsDNS1123Subdomain: what is wrong with `s` as a DNS-1123 subdomain, if anything. */
export const dns1123SubdomainProblem = (s: unknown) => syntaxProblem(s, 253, DNS1123_SUBDOMAIN, 'a lowercase RFC 1123 subdomain',
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");

/** IsConfigMapKey: what is wrong with a ConfigMap or Secret key, if anything. */
export function configKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'must not be empty';
  if (key.length > 253) return `must be no more than 253 characters (it has ${key.length})`;
  if (!CONFIG_KEY_PATTERN.test(key)) return "must consist of alphanumeric characters, '-', '_' or '.'";
  if (key === '.' || key === '..') return `must not be '${key}'`;
  if (key.startsWith('..')) return "must not start with '..'";
  return undefined;
}

/** Checks an RFC 1123 DNS label (Service, Deployment and container names). */
export function validateDnsLabel(scope: Construct, prop: string, value: string): string {
  if (dns1123LabelProblem(value)) {
    throw propError(scope, prop, value, 'must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)');
  }
  return value;
}

/** Checks an RFC 1123 DNS subdomain (Secret and ConfigMap names). */
export function validateDnsSubdomain(scope: Construct, prop: string, value: string): string {
  if (dns1123SubdomainProblem(value)) throw propError(scope, prop, value, 'must be a DNS-1123 subdomain');
  return value;
}

/** Checks an integer within [min, max]. */
export function validateInteger(scope: Construct, prop: string, value: number, min: number, max: number, fix?: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw propError(scope, prop, value, `must be an integer from ${min} to ${max}`, fix);
  }
  return value;
}
