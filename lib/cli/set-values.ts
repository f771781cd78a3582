import { UsageError } from './errors';

/**
 * Parses one `--set key=value` the way Helm does for scalars: dotted keys make nested maps;
 * `true`/`false` become booleans, integers become numbers, `null` becomes null (keep the
 * preset), anything else stays a string. Quote-free; use a values file for lists.
 */
export function parseSetValue(expression: string): Record<string, unknown> {
  const eq = expression.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set ${JSON.stringify(expression)}: expected key=value, for example --set backend.replicas=3`);
  const key = expression.slice(0, eq);
  const raw = expression.slice(eq + 1);
  const parts = key.split('.');
  if (parts.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) {
    throw new UsageError(`--set ${JSON.stringify(expression)}: key ${JSON.stringify(key)} must be dotted identifiers, for example backend.image.tag`);
  }
  let value: unknown = raw;
  if (raw === 'true') value = true;
  else if (raw === 'false') value = false;
  else if (raw === 'null') value = null;
  else if (/^-?(0|[1-9]\d*)$/.test(raw) && Number.isSafeInteger(Number(raw))) value = Number(raw);
  const root: Record<string, unknown> = {};
  let node = root;
  for (const part of parts.slice(0, -1)) {
    const child: Record<string, unknown> = {};
    node[part] = child;
    node = child;
  }
  node[parts[parts.length - 1]] = value;
  return root;
}
