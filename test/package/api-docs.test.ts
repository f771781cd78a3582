import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiMarkdown, readApi } from '../../lib/package/api-docs';
import { ROOT } from '../cli/support';

/** The API reference of @todo-stack/constructs (constructs/API.md), from the doc comments. */
const api = readApi(ROOT, join(ROOT, 'constructs', 'index.ts'));

test('constructs/API.md is current (npm run docs:constructs writes it)', () => {
  expect(readFileSync(join(ROOT, 'constructs', 'API.md'), 'utf8')).toBe(apiMarkdown('@todo-stack/constructs', api));
});

test('every construct and its props are in the reference', () => {
  const names = api.map((e) => e.name);
  for (const name of ['HardenedDeployment', 'ScaledBackend', 'PublicWebService', 'ChecksummedConfigMap', 'HardenedNamespace', 'DefaultDenyNetworkPolicy']) {
    expect(names).toContain(name);
    expect(names).toContain(`${name}Props`);
  }
});

test('every export has a description', () => {
  expect(api.filter((e) => !e.description).map((e) => `${e.kind} ${e.name}`)).toEqual([]);
});

test('every prop of every Props interface has a description, and every optional one a @default', () => {
  const props = api.filter((e) => e.kind === 'interface' && e.name.endsWith('Props')).flatMap((e) => e.members.map((m) => ({ owner: e.name, ...m })));
  expect(props.length).toBeGreaterThan(40);
  expect(props.filter((p) => !p.description).map((p) => `${p.owner}.${p.name}`)).toEqual([]);
  expect(props.filter((p) => p.optional && !p.default).map((p) => `${p.owner}.${p.name}`)).toEqual([]);
});
