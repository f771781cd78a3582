import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareObjectSets } from '../../lib/helm/equivalence';
import { parseManifests } from '../../lib/validate/documents';
import { readWithGo } from '../go-reader';
import { repoCopy, ROOT, runProcess, tempDir } from '../cli/support';
import type { Obj } from '../support';
import { helm } from '../helm/support';

/**
 * The README's "How to add a service" guide, followed literally: its code snippets, in order,
 * are put where the guide says, in a copy of the repository. No chart code is written; synth
 * must then write a chart that renders the new worker exactly as dist/ holds it.
 */
function guideSection(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## How to add a service');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

function guideSnippets(): string[] {
  return [...guideSection().matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1].replace(/^ {3}/gm, '').replace(/\s*\/\/ in (DESCRIPTIONS|production|the local overrides)\s*$/m, '').trimEnd());
}

function insertAfter(text: string, anchor: RegExp, addition: string, file: string): string {
  const m = anchor.exec(text);
  if (!m) throw new Error(`${file}: the guide's anchor ${anchor} is gone; update the README guide and this test`);
  const at = (m.index ?? 0) + m[0].length;
  return `${text.slice(0, at)}\n${addition}${text.slice(at)}`;
}

function edit(root: string, file: string, change: (text: string) => string): void {
  writeFileSync(join(root, file), change(readFileSync(join(root, file), 'utf8')));
}

/** The guide's stand-in image line (a JSON block), for test/standins/images.json. */
function guideStandin(): string {
  const m = /```json\n([\s\S]*?)```/.exec(guideSection());
  if (!m) throw new Error('the guide no longer gives a stand-in image; update the README guide and this test');
  return m[1].trim();
}

/** The tests that count from dist/ and the presets what a new service changes: they must pass as they are. */
const COUNTING_TESTS = ['test/app/environments.test.ts', 'test/app/values.test.ts', 'test/app/standin-images.test.ts'];

test('the add-a-service guide works literally: app code only, and Helm renders the new worker as dist/ does', async () => {
  const [schema, services, production, local, description, field, construct] = guideSnippets();
  expect(services).toContain("'worker'");
  const root = repoCopy();
  edit(root, 'apps/todo/values-schema.ts', (t) => insertAfter(
    t.replace(/export const SERVICES = \[[^\]]*\] as const;/, services),
    /\n {4}\}, 'The MCP tool server[^\n]*\),/, `    ${schema.replace(/\n/g, '\n    ')}`, 'values-schema.ts',
  ));
  edit(root, 'apps/todo/environments.ts', (t) => insertAfter(
    insertAfter(t, /\n {4}service: \{ port: 8001 \},\n {2}\},/, `  ${production.replace(/\n/g, '\n  ')}`, 'environments.ts'),
    /\n {4}mcp: \{ replicas: 1 \},/, `    ${local}`, 'environments.ts',
  ));
  edit(root, 'apps/todo/todo-chart.ts', (t) => insertAfter(
    insertAfter(insertAfter(t, /\n {2}mcp: 'MCP tool server[^\n]*/, `  ${description}`, 'todo-chart.ts'), /\n {2}public readonly mcp: ScaledBackend;/, `  ${field}`, 'todo-chart.ts'),
    /\n {4}this\.backend\.allowEgressTo\([^\n]*/, `    ${construct.replace(/\n/g, '\n    ')}`, 'todo-chart.ts',
  ));

  edit(root, 'test/standins/images.json', (t) => insertAfter(t, /\n[^\n]*"names": \["docker.io\/library\/todo-mcp:1\.1\.0"\][^\n]*/, `    ${guideStandin()}`, 'images.json'));

  const synth = await runProcess(process.execPath, [join(root, 'lib/tools/run.js'), 'main.ts'], { cwd: root });
  expect(synth.stderr).toBe('');
  expect(synth.code).toBe(0);
  for (const env of ['local', 'production']) {
    const dist = readdirObjects(join(root, 'dist', env));
    const kinds = dist.filter((o) => o.metadata.name.startsWith('todo-worker')).map((o) => o.kind).sort();
    expect(kinds).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'Service', 'ServiceAccount', ...(env === 'production' ? ['PodDisruptionBudget'] : [])].sort());
    const r = await helm(4, ['template', 'todo', join(root, 'helm-wrapper'), '-f', join(root, 'helm-wrapper', `values-${env}.yaml`)]);
    expect(r.stderr).toBe('');
    expect(compareObjectSets(dist, readWithGo(r.stdout) as Obj[])).toEqual([]);
  }
  // Following the guide breaks no test: the counts, flows and budgets are derived, not pinned.
  const jest = await runProcess(process.execPath, [join(ROOT, 'node_modules/jest/bin/jest.js'), ...COUNTING_TESTS], {
    cwd: root,
    env: { TMPDIR: tempDir('todo-stack-nested-jest-') },
  });
  expect([jest.code, jest.stderr.split('\n').filter((l) => /✕|Tests:/.test(l))]).toEqual([0, [expect.stringMatching(/Tests: +\d+ passed, \d+ total/)]]);
});

function readdirObjects(dir: string): Obj[] {
  return readdirSync(dir).sort().flatMap((f) => parseManifests(readFileSync(join(dir, f), 'utf8')).map((i) => i.object as Obj));
}
