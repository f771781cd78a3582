/**
 * Kubernetes resource quantities (`100m`, `0.5`, `128Mi`, `1G`, `1e3`),
 * parsed to plain numbers so that limits can be compared with requests.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

const SUFFIXES: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The syntax of a Kubernetes quantity. */
export const QUANTITY_PATTERN = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** True if `value` is a syntactically valid Kubernetes quantity. */
export function isQuantity(value: string | number): boolean {
  return typeof value === 'number' ? Number.isFinite(value) : QUANTITY_PATTERN.test(value);
}

/**
 * Parses a quantity to a number in base units (cores for CPU, bytes for memory).
 * @throws Error if `value` is not a quantity.
 */
export function parseQuantity(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`"${value}" is not a Kubernetes quantity`);
    return value;
  }
  const m = QUANTITY_PATTERN.exec(value);
  if (!m) throw new Error(`"${value}" is not a Kubernetes quantity (for example 100m, 0.5, 128Mi, 1Gi)`);
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIXES[m[3] ?? ''];
}

/** Formats cores as millicores (`250m`) for summaries. */
export function formatCpu(cores: number): string {
  return `${Math.round(cores * 1000)}m`;
}

/** Formats bytes as mebibytes (`384Mi`) for summaries. */
export function formatMemory(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)}Mi`;
}
