import type { Construct } from 'constructs';
import { propError } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** Checks an RFC 1123 DNS label (Service, Deployment and container names). */
export function validateDnsLabel(scope: Construct, prop: string, value: string): string {
  if (!DNS_LABEL.test(value)) {
    throw propError(scope, prop, value, 'must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)');
  }
  return value;
}

/** Checks an RFC 1123 DNS subdomain (Secret and ConfigMap names). */
export function validateDnsSubdomain(scope: Construct, prop: string, value: string): string {
  if (!DNS_SUBDOMAIN.test(value)) throw propError(scope, prop, value, 'must be a DNS-1123 subdomain');
  return value;
}

/** Checks an integer within [min, max]. */
export function validateInteger(scope: Construct, prop: string, value: number, min: number, max: number, fix?: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw propError(scope, prop, value, `must be an integer from ${min} to ${max}`, fix);
  }
  return value;
}
