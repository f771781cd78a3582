import { configKeyProblem } from '../../../constructs/validation';
import type { Rule, Violation } from '../rule';

/**
 * Limits the Kubernetes API server enforces on what an object can hold, so a value that cannot
 * be stored is refused before anything is written, with a message that names the limit.
 */

/** ConfigMaps and Secrets hold at most 1 MiB (core/validation: MaxSecretSize, ValidateConfigMap). */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** All annotations of an object hold at most 256 KiB (apimachinery: TotalAnnotationSizeLimitB). */
export const MAX_ANNOTATION_BYTES = 256 * 1024;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const quote = (key: string) => JSON.stringify(key.length > 60 ? `${key.slice(0, 57)}...` : key);

/** Bytes the API server counts for a field of string values (base64 data counts decoded). */
function fieldBytes(map: unknown, base64: boolean): number {
  if (!map || typeof map !== 'object') return 0;
  let total = 0;
  for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
    total += Buffer.byteLength(key);
    if (typeof value === 'string') total += base64 ? Buffer.from(value, 'base64').length : Buffer.byteLength(value);
  }
  return total;
}

function keyViolations(map: unknown, field: string): Violation[] {
  if (!map || typeof map !== 'object') return [];
  return Object.keys(map as Record<string, unknown>).flatMap((key) => {
    const problem = configKeyProblem(key);
    return problem ? [{ path: `${field}[${quote(key)}]`, message: `key ${quote(key)} ${problem}` }] : [];
  });
}

const SOURCE = 'kube-apiserver: k8s.io/kubernetes/pkg/apis/core/validation (ValidateConfigMap, ValidateSecret), apimachinery IsConfigMapKey';

export const API_LIMIT_RULES: readonly Rule[] = [
  {
    id: 'api.config-data-keys',
    source: SOURCE,
    exemptible: false,
    check: (o) => {
      if (o.kind !== 'ConfigMap' && o.kind !== 'Secret') return [];
      const out = ['data', 'binaryData', 'stringData'].flatMap((field) => keyViolations(o[field], field));
      // A ConfigMap key lives in data or binaryData, never both.
      const binary = o.kind === 'ConfigMap' && o.binaryData && typeof o.binaryData === 'object' ? o.binaryData : {};
      for (const key of Object.keys(o.data && typeof o.data === 'object' ? o.data : {})) if (Object.hasOwn(binary, key)) out.push({ path: `data[${quote(key)}]`, message: `key ${quote(key)} is a duplicate of a key present in binaryData` });
      return out;
    },
  },
  {
    id: 'api.config-data-size',
    source: SOURCE,
    exemptible: false,
    check: (o) => {
      if (o.kind !== 'ConfigMap' && o.kind !== 'Secret') return [];
      const total = o.kind === 'ConfigMap'
        ? fieldBytes(o.data, false) + fieldBytes(o.binaryData, true)
        : fieldBytes(o.data, true) + fieldBytes(o.stringData, false);
      return total > MAX_CONFIG_BYTES
        ? [{ path: o.kind === 'ConfigMap' ? 'data' : 'data', message: `holds ${total} bytes; a ${o.kind} holds at most ${MAX_CONFIG_BYTES} bytes (1 MiB) of keys and values` }]
        : [];
    },
  },
  {
    id: 'apply.client-side-size',
    source: `kubectl apply: the ${LAST_APPLIED} annotation, within apimachinery's TotalAnnotationSizeLimitB (${MAX_ANNOTATION_BYTES} bytes)`,
    exemptible: true,
    check: (o) => {
      const size = Buffer.byteLength(JSON.stringify(o)) + LAST_APPLIED.length;
      return size > MAX_ANNOTATION_BYTES
        ? [{ path: '/', severity: 'warning', message: `is ${size} bytes as JSON: too big for client-side kubectl apply, whose ${LAST_APPLIED} annotation holds at most ${MAX_ANNOTATION_BYTES} bytes; apply it with kubectl apply --server-side` }]
        : [];
    },
  },
];
