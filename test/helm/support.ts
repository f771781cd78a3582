import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureHelm, type HelmMajor } from '../../lib/tools/helm-binaries';
import { diffPaths } from '../../lib/helm/equivalence';
import { parseManifests } from '../../lib/validate/documents';
import { type CliResult, ROOT, runProcess } from '../cli/support';
import type { Obj } from '../support';

export const CHART = join(ROOT, 'helm-wrapper');
export const MAJORS: HelmMajor[] = [3, 4];

/** Runs the real Helm binary of that major version (from node_modules). */
export function helm(major: HelmMajor, args: readonly string[]): Promise<CliResult> {
  return runProcess(ensureHelm(major), args, { env: { HELM_CACHE_HOME: '/tmp/helm-cache', HELM_CONFIG_HOME: '/tmp/helm-config', HELM_DATA_HOME: '/tmp/helm-data' } });
}

/** `helm template <release> <chart> ...args`, parsed; fails the test on a Helm error. */
export async function template(major: HelmMajor, args: readonly string[], release = 'todo', chart = CHART): Promise<Obj[]> {
  const r = await helm(major, ['template', release, chart, ...args]);
  if (r.code !== 0) throw new Error(`helm ${major} template failed: ${r.stderr}`);
  return parseManifests(r.stdout).map((i) => i.object as Obj);
}

/** The objects of a committed dist/<env>/ folder. */
export function distObjects(env: string): Obj[] {
  const dir = join(ROOT, 'dist', env);
  return readdirSync(dir).sort().flatMap((f) => parseManifests(readFileSync(join(dir, f), 'utf8')).map((i) => i.object as Obj));
}

/** `Kind/name path` for every difference between two renders, objects matched by kind and name. */
export function changes(before: Obj[], after: Obj[]): string[] {
  const key = (o: Obj) => `${o.kind}/${o.metadata.name}`;
  const a = new Map(before.map((o) => [key(o), o]));
  const b = new Map(after.map((o) => [key(o), o]));
  const out: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    if (!a.has(k)) out.push(`${k} added`);
    else if (!b.has(k)) out.push(`${k} removed`);
    else out.push(...diffPaths(a.get(k), b.get(k)).map((p) => `${k} ${p}`));
  }
  return out.sort();
}
