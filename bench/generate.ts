import { synthesizeTodo } from '../apps/todo/synthesize';
import { resolveValues } from '../apps/todo/values';
import { toYaml } from '../lib/output/manifest-files';

/**
 * A large, valid multi-document YAML: copies of the production stack, each under its own
 * instance name and namespace, so every cross-object rule still holds.
 */
export function largeManifest(objectCount: number): { text: string; objects: number } {
  const docs: string[] = [];
  let copy = 0;
  while (docs.length < objectCount) {
    const values = resolveValues('production', [{ namespace: `bench-${copy}` }]);
    for (const o of synthesizeTodo(values, `todo${copy}`)) {
      if (docs.length >= objectCount) break;
      docs.push(toYaml(o));
    }
    copy++;
  }
  return { text: docs.map((d) => `---\n${d}`).join(''), objects: docs.length };
}
