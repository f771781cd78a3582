import { createHash } from 'node:crypto';

/**
 * Serializes a string map exactly as Go's `encoding/json` does (sorted keys,
 * compact, `<`, `>`, `&`, U+2028 and U+2029 escaped), so that a checksum
 * computed here equals Helm's `toJson $data | sha256sum`.
 */
export function goJson(data: Readonly<Record<string, string>>): string {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(data).sort()) sorted[key] = data[key];
  return JSON.stringify(sorted).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The hex SHA-256 of a string. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The checksum of ConfigMap data, as put on pod templates to roll them on change. */
export function configChecksum(data: Readonly<Record<string, string>>): string {
  return sha256(goJson(data));
}
