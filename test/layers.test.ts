import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './cli/support';

/**
 * The layers of the repository (README, "Layout"): constructs/ knows no app and no pipeline;
 * lib/ knows no app (it takes an AppDefinition); apps/ knows no CLI; main.ts only wires. Every
 * relative import of every TypeScript file is checked against those arrows.
 */
const LAYERS = ['constructs', 'lib', 'apps', 'main.ts'] as const;
type Layer = (typeof LAYERS)[number];

/** What each layer may import, besides itself. */
const ALLOWED: Record<Layer, readonly string[]> = {
  constructs: [],
  lib: ['constructs', 'imports'],
  apps: ['constructs', 'imports', 'lib/app', 'lib/helm', 'lib/output', 'lib/values', 'lib/validate'],
  'main.ts': ['apps', 'lib'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'go') return [];
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** `from` → `to` for every relative import, as paths from the root. */
function imports(): Array<{ from: string; to: string }> {
  const sources = [...files(join(ROOT, 'constructs')), ...files(join(ROOT, 'lib')), ...files(join(ROOT, 'apps')), join(ROOT, 'main.ts')];
  return sources.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm)]
    .map((m) => ({ from: relative(ROOT, file), to: relative(ROOT, resolve(dirname(file), m[1])) })));
}

const layerOf = (path: string): string => path.split('/')[0];

/** The imports that run against the arrows, as `from imports to` lines. */
function against(found: ReadonlyArray<{ from: string; to: string }>): string[] {
  return found.filter(({ from, to }) => {
    const layer = layerOf(from) as Layer;
    if (layerOf(to) === layer) return false;
    return !ALLOWED[layer].some((allowed) => to === allowed || to.startsWith(`${allowed}/`));
  }).map(({ from, to }) => `${from} imports ${to}`);
}

test('the layering holds: no import runs against constructs/ → lib/ → apps/ → main.ts', () => {
  const found = imports();
  expect(found.length).toBeGreaterThan(50);
  expect(against(found)).toEqual([]);
});

test('no file under lib/ imports from apps/', () => {
  expect(imports().filter(({ from, to }) => from.startsWith('lib/') && to.startsWith('apps/'))).toEqual([]);
});

test('the layer check can fail: imports from lib/ into apps/, and from apps/ into the CLI, are reported', () => {
  expect(against([
    { from: 'lib/cli/synth-command.ts', to: 'apps/todo/app' },
    { from: 'apps/todo/app.ts', to: 'lib/cli/errors' },
    { from: 'constructs/labels.ts', to: 'lib/cli/errors' },
    { from: 'apps/todo/app.ts', to: 'lib/app/definition' },
  ])).toEqual([
    'lib/cli/synth-command.ts imports apps/todo/app',
    'apps/todo/app.ts imports lib/cli/errors',
    'constructs/labels.ts imports lib/cli/errors',
  ]);
});
