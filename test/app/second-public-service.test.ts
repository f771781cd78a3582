import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareObjectSets } from '../../lib/helm/equivalence';
import { parseManifests } from '../../lib/validate/documents';
import { readWithGo } from '../go-reader';
import { repoCopy, runProcess, tempDir } from '../cli/support';
import type { Obj } from '../support';
import { helm } from '../helm/support';

/**
 * A second public service: in a copy of the repository, the backend becomes a PublicWebService
 * whose values choose its Service type and node port, as the frontend's do. Nothing but app
 * code changes, and the chart must follow `backend.service.type` and `backend.service.nodePort`
 * as synth does (before, only a component named `frontend` had them templated).
 */

function replace(root: string, file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(join(root, file), 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: ${from} is gone; update this test`);
  writeFileSync(join(root, file), next);
}

const objectsIn = (dir: string): Obj[] => readdirSync(dir).sort().flatMap((f) => parseManifests(readFileSync(join(dir, f), 'utf8')).map((i) => i.object as Obj));

test('a second public service\'s type and node port follow its values in the chart as in synth', async () => {
  const root = repoCopy();
  replace(root, 'apps/todo/values-schema.ts', "service: group(mode, { port: leaf(mode, port('Service port of the backend.'), 'Service port of the backend.') }, 'The backend ClusterIP Service.'),", `service: group(mode, {
        type: leaf(mode, z.enum(['ClusterIP', 'NodePort', 'LoadBalancer'], message('expected one of ClusterIP, NodePort, LoadBalancer')), 'Service type of the backend.'),
        port: leaf(mode, port('Service port of the backend.'), 'Service port of the backend.'),
        nodePort: leaf(mode, int(30000, 32767).optional(), 'Fixed node port (30000-32767), only with type NodePort.'),
      }, 'How the backend is reached.'),`);
  replace(root, 'apps/todo/environments.ts', 'service: { port: 8000 },', "service: { type: 'ClusterIP', port: 8000 },");
  replace(root, 'apps/todo/todo-chart.ts', 'public readonly backend: ScaledBackend;', 'public readonly backend: PublicWebService;');
  replace(root, 'apps/todo/todo-chart.ts', "this.backend = new ScaledBackend(this, 'Backend', {", `this.backend = new PublicWebService(this, 'Backend', {
      serviceType: v.backend.service.type,
      nodePort: v.backend.service.type === 'NodePort' ? v.backend.service.nodePort : undefined,`);

  const synth = await runProcess(process.execPath, [join(root, 'lib/tools/run.js'), 'main.ts', '--quiet'], { cwd: root });
  expect([synth.code, synth.stderr]).toEqual([0, '']);
  const chart = join(root, 'helm-wrapper');
  for (const sets of [['backend.service.type=LoadBalancer'], ['backend.service.type=NodePort', 'backend.service.nodePort=30123'], ['backend.service.type=NodePort']]) {
    const out = tempDir();
    const args = sets.flatMap((s) => ['--set', s]);
    const mine = await runProcess(process.execPath, [join(root, 'lib/tools/run.js'), 'main.ts', '--quiet', '--env', 'local', ...args, '--root', out], { cwd: root });
    expect([sets, mine.code, mine.stderr]).toEqual([sets, 0, '']);
    const dist = objectsIn(join(out, 'dist', 'local'));
    const service = dist.find((o) => o.kind === 'Service' && o.metadata.name === 'todo-backend') as Obj;
    expect(service.spec.type).toBe(sets[0].split('=')[1]);
    const rendered = await helm(4, ['template', 'todo', chart, ...args]);
    expect(rendered.stderr).toBe('');
    expect([sets, compareObjectSets(dist, readWithGo(rendered.stdout) as Obj[])]).toEqual([sets, []]);
  }
  // A node port the user sets with another type is refused by both, with the same line.
  const refused = await runProcess(process.execPath, [join(root, 'lib/tools/run.js'), 'main.ts', '--quiet', '--env', 'local', '--set', 'backend.service.nodePort=30123', '--root', tempDir()], { cwd: root });
  expect(refused.stderr).toContain('backend.service.nodePort: is only allowed with service type NodePort, not ClusterIP; remove it or set backend.service.type=NodePort');
  const helmRefused = await helm(4, ['template', 'todo', chart, '--set', 'backend.service.nodePort=30123']);
  expect(helmRefused.stderr).toContain('backend.service.nodePort: is only allowed with service type NodePort, not ClusterIP; remove it or set backend.service.type=NodePort');
}, 120_000);
