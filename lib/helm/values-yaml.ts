import { toYaml } from '../output/manifest-files';

/**
 * Writes a documented `values.yaml` from a JSON Schema (for the descriptions and key order)
 * and the complete values of each environment: a key that is the same everywhere gets its
 * value; a key that differs is `null`, meaning "the preset of `environment`", with each
 * environment's value in its comment.
 */

export type JsonSchema = { description?: string; properties?: Record<string, JsonSchema>; anyOf?: JsonSchema[]; type?: string | string[] };

/**
 * The schema of a group of keys, or undefined for a value: an object schema with properties is a
 * group unless every environment leaves it empty ({}, as affinity), which makes it one value.
 * values.yaml and the chart README both lay the keys out by this one rule.
 */
export function groupSchema(schema: JsonSchema, values: Record<string, unknown>): JsonSchema | undefined {
  const obj = objectSchema(schema);
  const filled = Object.values(values).some((v) => v !== null && typeof v === 'object' && Object.keys(v).length > 0);
  return obj?.properties && Object.keys(obj.properties).length && filled ? obj : undefined;
}

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
      if (dotted in fixed) {
        lines.push(`${indent}${key}: ${scalar(fixed[dotted])}`);
      } else if (groupSchema(child, childValues)) {
        lines.push(`${indent}${key}:`);
        walk(groupSchema(child, childValues) as JsonSchema, childPath, childValues, `${indent}  `);
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
