import { isIPv4, isIPv6 } from 'node:net';
import type { Construct } from 'constructs';
import type { z } from 'zod';
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

/** `[0].key`, `["team"]`: a path inside a prop, as JavaScript would write it. */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((k) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(String(k)) ? `.${String(k)}` : `[${JSON.stringify(String(k))}]`)).join('');
}

/**
 * Checks a Kubernetes-shaped prop (labels, tolerations, affinity, ...) against its schema in
 * kubernetes-schemas.ts, the one the todo app's values schema and `values.schema.json` use too.
 * The error names the place inside the prop, the value there and the rule.
 */
export function validateShape<V>(scope: Construct, prop: string, schema: z.ZodType, value: V): V {
  const result = schema.safeParse(value);
  if (result.success) return value;
  const issue = result.error.issues[0];
  const place = `${prop}${pathText(issue.path)}`;
  if (issue.code === 'invalid_key') {
    throw propError(scope, `${place} (a key)`, issue.path[issue.path.length - 1], `is invalid: ${issue.issues[0]?.message ?? issue.message}`);
  }
  const got = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], value);
  throw propError(scope, place, got, `is invalid: ${issue.message}`);
}

/** An IPv6 address as a 128-bit number (isIPv6 has checked its syntax). */
function ipv6Bits(address: string): bigint {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1].split('.').map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((n, g) => (n << 16n) | BigInt(`0x${g || '0'}`), 0n);
}

/**
 * What is wrong with `cidr` as a NetworkPolicy ipBlock, if anything: an IPv4 or IPv6 address, a
 * prefix length it allows, and no bits set beyond the prefix (as the API server checks).
 */
export function cidrProblem(cidr: string): string | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  const v4 = match && isIPv4(match[1]);
  if (!match || (!v4 && !isIPv6(match[1]))) return 'must be a CIDR such as 10.0.0.0/8 or fd00::/8';
  if (match[1].includes('%')) return 'must not have an IPv6 zone';
  const width = v4 ? 32 : 128;
  const prefix = Number(match[2]);
  if (prefix > width) return `must have a prefix length of at most ${width}`;
  const bits = v4 ? match[1].split('.').reduce((n, o) => (n << 8n) | BigInt(o), 0n) : ipv6Bits(match[1]);
  if (!v4 && bits >> 32n === 0xffffn) return 'must not be an IPv4-mapped IPv6 address (write the IPv4 CIDR)';
  const host = bits & ((1n << BigInt(width - prefix)) - 1n);
  return host === 0n ? undefined : 'must not have bits set beyond the prefix length (write the network address)';
}
