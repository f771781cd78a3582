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

test('the layering holds: no import runs against constructs/ → lib/ → apps/ → main.ts', () => {
  const found = imports();
  expect(found.length).toBeGreaterThan(50);
  const against = found.filter(({ from, to }) => {
    const layer = layerOf(from) as Layer;
    if (layerOf(to) === layer) return false;
    return !ALLOWED[layer].some((allowed) => to === allowed || to.startsWith(`${allowed}/`));
  });
  expect(against.map(({ from, to }) => `${from} imports ${to}`)).toEqual([]);
});

test('no file under lib/ imports from apps/', () => {
  expect(imports().filter(({ from, to }) => from.startsWith('lib/') && to.startsWith('apps/'))).toEqual([]);
});

test('the layer check can fail: an import from lib/ into apps/ is found', () => {
  const line = "import { todoApp } from '../../apps/todo/app';";
  const m = /^(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/m.exec(line);
  expect(relative(ROOT, resolve(join(ROOT, 'lib/cli'), (m as RegExpExecArray)[1]))).toBe('apps/todo/app');
});
