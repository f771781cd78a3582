function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep-merges `over` into `base`, as Helm merges values: maps merge key by key, anything else
 * replaces; `null` and `undefined` keep the base value.
 */
export function mergeValues<T>(base: T, over: unknown): T {
  if (over === null || over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = mergeValues(base[key], value);
  return out as T;
}
