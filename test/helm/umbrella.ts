import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HelmMajor } from '../../lib/tools/helm-binaries';
import { tempDir } from '../cli/support';
import { helm, umbrellaChart } from './support';

/**
 * Many renders of the chart in one `helm template` per major (issue 24: Helm's start-up is half
 * of a render). An umbrella chart holds the chart once per case, as an aliased dependency (`c0`,
 * `c1`, ...); each case's values files are nested under its alias, file by file in order, and
 * its `--set` keys are prefixed with it. The output is cut by `# Source: platform/charts/<alias>/`.
 *
 * A subchart is not the chart itself: `global` is shared by every alias, and Helm coalesces a
 * parent's values for a subchart (nulls included) with code of its own. In 535 cases of the
 * property test (seeds 62029 and one more), with nulls and globals, every render in the umbrella
 * equalled the render alone under both majors; the caller still renders a case alone whenever
 * the umbrella's render of it is in doubt. One case that Helm refuses fails the whole render:
 * the result is then undefined.
 */

export interface UmbrellaCase {
  /** Each values file as data (what Helm reads from it), in order. */
  readonly files: readonly unknown[];
  /** `--set` assignments of one key each (`environment=dev`). */
  readonly sets: readonly string[];
}

/** Whether a case's --set strings can be prefixed with its alias: one plain key each. */
export function umbrellaCanRender(c: UmbrellaCase): boolean {
  return c.sets.every((s) => /^[A-Za-z][\w.]*=[\w.-]*$/.test(s));
}

/** The umbrella chart for `count` cases, aliases `c0`, `c1`, ... (made once per count and reused). */
const umbrellas = new Map<number, string>();
function umbrellaFor(count: number): string {
  const made = umbrellas.get(count) ?? umbrellaChart('', Array.from({ length: count }, (_, i) => `c${i}`));
  umbrellas.set(count, made);
  return made;
}

/** Renders every case in one `helm template todo <umbrella>`: each case's output, or undefined if Helm refused any. */
export async function renderInUmbrella(major: HelmMajor, cases: readonly UmbrellaCase[]): Promise<string[] | undefined> {
  const chart = umbrellaFor(cases.length);
  const dir = tempDir('todo-stack-umbrella-values-');
  const depth = Math.max(0, ...cases.map((c) => c.files.length));
  const args: string[] = [];
  for (let k = 0; k < depth; k++) {
    const file = join(dir, `values-${k}.json`);
    writeFileSync(file, JSON.stringify(Object.fromEntries(cases.flatMap((c, i) => (k < c.files.length ? [[`c${i}`, c.files[k]]] : [])))));
    args.push('-f', file);
  }
  cases.forEach((c, i) => { for (const s of c.sets) args.push('--set', `c${i}.${s}`); });
  const r = await helm(major, ['template', 'todo', chart, ...args]);
  if (r.code !== 0) return undefined;
  const out = cases.map(() => '');
  for (const doc of r.stdout.split(/^---\n/m)) {
    const alias = /^# Source: platform\/charts\/c(\d+)\//.exec(doc);
    if (alias) out[Number(alias[1])] += `---\n${doc.replace(/platform\/charts\/c\d+\//, 'todo-stack/')}`;
  }
  return out;
}
