import { and, contains, eq, type Expr, format, length, le, let_, lit, matches, ne, or, presetRef, ref, release, sha256, slice, trimSuffix, use, userRef, when } from '../../constructs/expr';
import type { ReplicaCounts } from '../../constructs';
import { AUTOSCALED_SERVICES } from './environments';
import type { ServiceName } from './values-schema';

/**
 * The values the stack derives from others, each defined once as an expression: synth evaluates
 * it (constructs/expr.ts) and the chart compiles the same expression into a named template.
 */

/**
 * The longest object-name prefix: the longest name suffix the stack writes is
 * `-test-backend-ingress` (21 characters, a Helm test hook), and every object name must stay a
 * 63-character DNS label.
 */
export const FULLNAME_MAX = 63 - '-test-backend-ingress'.length;

/** Prefixed to a name prefix that would start with a digit. */
export const APP_NAME = 'todo';

const nameOverride = ref('nameOverride');
const fullnameOverride = ref('fullnameOverride');

/**
 * The prefix of every object name, as `helm create` makes it: `fullnameOverride`, else the release
 * name, followed by `-<nameOverride>` unless the release name already contains it; `todo-` first
 * when that starts with a digit (a Service name is a DNS-1035 label). A prefix over
 * FULLNAME_MAX characters is cut and ends in 6 characters of its SHA-256, so two long names that
 * share their start still differ.
 */
export const FULLNAME: Expr = let_(
  'joined',
  when(or(eq(nameOverride, lit('')), contains(release(), nameOverride)), release(), format(release(), '-', nameOverride)),
  let_(
    'base',
    // A release name starting with a digit (`123`) gets the app name first: Service names must start with a letter.
    when(ne(fullnameOverride, lit('')), fullnameOverride, when(matches(use('joined'), /^[0-9]/), format(APP_NAME, '-', use('joined')), use('joined'))),
    when(
      le(length(use('base')), lit(FULLNAME_MAX)),
      use('base'),
      format(trimSuffix(slice(use('base'), 0, FULLNAME_MAX - 7), '-'), '-', slice(sha256(use('base')), 0, 6)),
    ),
  ),
);

/** The image reference of a service: `[registry/]repository[:tag][@digest]`. */
export function imageExpr(service: ServiceName): Expr {
  const registry = ref('global.imageRegistry');
  const tag = ref(`${service}.image.tag`);
  const digest = ref(`${service}.image.digest`);
  return format(
    when(ne(registry, lit('')), format(registry, '/'), lit('')),
    ref(`${service}.image.repository`),
    when(ne(tag, lit('')), format(':', tag), lit('')),
    when(ne(digest, lit('')), format('@', digest), lit('')),
  );
}

/** The version label of a service: its image tag, or the first 12 hex characters of its digest. */
export function versionExpr(service: ServiceName): Expr {
  const tag = ref(`${service}.image.tag`);
  return when(ne(tag, lit('')), tag, slice(ref(`${service}.image.digest`), 7, 19));
}

/**
 * The node port of a service the user set (a values file or --set), as opposed to the preset's:
 * only the user's may clash loudly, and only the user's is refused with another service type.
 * The preset's own port, set again (`-f values-local.yaml`), is still the preset's: a values
 * file of a preset means exactly `--set environment=<env>`.
 */
export function userNodePort(service: ServiceName): Expr {
  return and(userRef(`${service}.service.nodePort`), ne(userRef(`${service}.service.nodePort`), presetRef(`${service}.service.nodePort`)));
}

/**
 * The replica counts of a service, the names the constructs' replica decisions read
 * (REPLICA_DECISIONS): with autoscaling on, the HPA's bounds; otherwise its fixed replicas.
 */
export function replicaCounts(service: ServiceName): Record<keyof ReplicaCounts, Expr> {
  const replicas = ref(`${service}.replicas`);
  if (!AUTOSCALED_SERVICES.includes(service)) return { minReplicas: replicas, maxReplicas: replicas };
  const on = ref(`${service}.autoscaling.enabled`);
  return {
    minReplicas: when(on, ref(`${service}.autoscaling.minReplicas`), replicas),
    maxReplicas: when(on, ref(`${service}.autoscaling.maxReplicas`), replicas),
  };
}
