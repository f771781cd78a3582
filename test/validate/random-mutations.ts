import { baselineObjects, type MutationCase, type Obj } from './mutations';

/**
 * Random single-field mutations of valid objects of every kind the differential test knows
 * (dist/production's and other-kinds.ts's), for the differential test against the real API
 * server (SPEC S7): each case replaces one leaf of one object (a number, a string, a boolean, a
 * key of a map) with a value drawn from a pool of the usual suspects (bounds, signs, syntax,
 * wrong types), or deletes it. Which cases the server refuses is its business; the test asserts
 * that the validator agrees.
 */

type Path = Array<string | number>;

/** Every leaf of an object (not metadata.name or namespace: the harness sets those), by path. */
function leaves(node: unknown, path: Path = [], out: Array<{ path: Path; value: unknown }> = []): Array<{ path: Path; value: unknown }> {
  if (Array.isArray(node)) node.forEach((item, i) => leaves(item, [...path, i], out));
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) leaves(v, [...path, k], out);
  else out.push({ path, value: node });
  return out;
}

const STRINGS = ['', '-bad', 'Bad_Value', 'a b', 'UPPER', 'x'.repeat(64), 'x'.repeat(300), '0', '-1', 'ok-value', 'ok.dotted', '/abs/path', 'rel/path', '10.0.0.1', 'a/b/c', '*', 'None', 'true'];
const NUMBERS = [-1, 0, 1, 2, 3, 70000, 2 ** 31, 1.5, 30080, 86401];
const OTHER_TYPES: unknown[] = ['7', 7, true, 'yes', [], {}];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function setAt(object: Obj, path: Path, value: unknown): void {
  let node: any = object;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
}

/** A random case, and what it changed (for a failure message). */
export interface RandomCase extends MutationCase {
  readonly change: string;
}

/** `count` random cases, ids `random/<kind>/<n>`. */
export function randomMutationCases(random: () => number, count: number): RandomCase[] {
  const objects = baselineObjects();
  const out: RandomCase[] = [];
  for (let n = 0; n < count; n++) {
    const object = objects[n % objects.length];
    const candidates = leaves(object).filter(({ path }) => !(path[0] === 'metadata' && (path[1] === 'name' || path[1] === 'namespace')) && path[0] !== 'apiVersion' && path[0] !== 'kind');
    const { path, value } = pick(random, candidates);
    const copy = structuredClone(object);
    const roll = random();
    let next: unknown;
    if (roll < 0.1) next = undefined; // delete the field
    else if (roll < 0.25) next = pick(random, OTHER_TYPES);
    else if (typeof value === 'number') next = pick(random, NUMBERS);
    else if (typeof value === 'boolean') next = !value;
    else next = pick(random, STRINGS);
    // A map key: rename it instead, now and then.
    const parentPath = path.slice(0, -1);
    if (roll > 0.9 && typeof path[path.length - 1] === 'string' && parentPath.length) {
      let parent: any = copy;
      for (const key of parentPath) parent = parent[key];
      if (parent && !Array.isArray(parent) && typeof parent === 'object') {
        const key = String(path[path.length - 1]);
        const renamed = pick(random, ['-bad', 'Bad Key', 'example.com/ok', 'a/b/c', 'x'.repeat(70), 'ok_key']);
        parent[renamed] = parent[key];
        delete parent[key];
        out.push({ id: `random/${object.kind}/${n}`, target: `${object.kind}/${object.metadata.name}`, object: copy, change: `key ${parentPath.join('.')}.${key} renamed ${JSON.stringify(renamed)}` });
        continue;
      }
    }
    setAt(copy, path, next);
    out.push({ id: `random/${object.kind}/${n}`, target: `${object.kind}/${object.metadata.name}`, object: copy, change: `${path.join('.')}: ${JSON.stringify(value)} to ${next === undefined ? '(deleted)' : JSON.stringify(next)}` });
  }
  return out;
}
