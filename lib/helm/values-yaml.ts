import { toYaml } from '../output/manifest-files';

/**
 * Writes a documented `values.yaml` from a JSON Schema (for the descriptions and key order)
 * and the complete values of each environment: a key that is the same everywhere gets its
 * value; a key that differs is `null`, meaning "the preset of `environment`", with each
 * environment's value in its comment.
 */

type JsonSchema = { description?: string; properties?: Record<string, JsonSchema>; anyOf?: JsonSchema[]; type?: string | string[] };

function objectSchema(schema: JsonSchema): JsonSchema | undefined {
  if (schema.properties) return schema;
  return schema.anyOf?.find((s) => s.properties);
}

function scalar(value: unknown): string {
  return value === undefined ? '(unset)' : toYaml(value).trim();
}

/**
 * @param schema JSON Schema of the values (objects with `properties`)
 * @param presets complete values per environment name; `defaults` names the one whose values
 *   the same-everywhere keys come from
 * @param fixed keys (dotted) whose value is written as is, whatever the presets say
 */
export function documentedValuesYaml(schema: JsonSchema, presets: Record<string, unknown>, fixed: Record<string, unknown>): string {
  const envs = Object.keys(presets);
  const lines: string[] = [];
  const walk = (node: JsonSchema, path: string[], values: Record<string, any>, indent: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const childPath = [...path, key];
      const dotted = childPath.join('.');
      const childValues: Record<string, any> = {};
      for (const env of envs) childValues[env] = values[env]?.[key];
      const description = child.description ?? objectSchema(child)?.description;
      if (description) lines.push(`${indent}# -- ${description}`);
      const obj = objectSchema(child);
      if (dotted in fixed) {
        lines.push(`${indent}${key}: ${scalar(fixed[dotted])}`);
      } else if (obj?.properties && Object.keys(obj.properties).length && envs.some((e) => Object.keys(childValues[e] ?? {}).length)) {
        // A group of keys; an object the presets leave empty ({}, as affinity) is one value.
        lines.push(`${indent}${key}:`);
        walk(obj, childPath, childValues, `${indent}  `);
      } else {
        const rendered = envs.map((e) => scalar(childValues[e]));
        if (rendered.every((r) => r === rendered[0]) && childValues[envs[0]] !== undefined) {
          const value = childValues[envs[0]];
          const text = toYaml(value).trimEnd();
          const nested = typeof value === 'object' && value !== null && Object.keys(value).length > 0;
          lines.push(nested ? `${indent}${key}:\n${text.split('\n').map((l) => `${indent}  ${l}`).join('\n')}` : `${indent}${key}: ${text}`);
        } else {
          lines.push(`${indent}# By environment: ${envs.map((e, i) => `${e}: ${rendered[i]}`).join('; ')}.`);
          lines.push(`${indent}${key}: null`);
        }
      }
    }
  };
  walk(schema, [], presets as Record<string, any>, '');
  return `${lines.join('\n')}\n`;
}
