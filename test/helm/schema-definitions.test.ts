import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { overlayValuesSchema } from '../../apps/todo/values-schema';
import { factorDefinitions, inlineDefinitions } from '../../lib/helm/schema-definitions';
import { CHART, helm, MAJORS, valuesFile } from './support';

/** values.schema.json is written with its repeated shapes once (lib/helm/schema-definitions.ts). */

const FULL = z.toJSONSchema(overlayValuesSchema(), { target: 'draft-7' }) as Record<string, unknown>;

test('the chart\'s schema, its references written out, is the values schema itself', () => {
  const written = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'));
  expect(written.definitions).toBeDefined();
  expect(inlineDefinitions(written)).toEqual(FULL);
});

test('factoring moves only repeated subschemas, and a schema without repeats is kept as it is', () => {
  const big = { type: 'object', description: 'x'.repeat(2000) };
  const schema = { type: 'object', properties: { a: big, b: big, c: { type: 'string' } } };
  const factored = factorDefinitions(schema);
  expect(factored).toEqual({ type: 'object', properties: { a: { $ref: '#/definitions/shared1' }, b: { $ref: '#/definitions/shared1' }, c: { type: 'string' } }, definitions: { shared1: big } });
  expect(inlineDefinitions(factored)).toEqual(schema);
  const once = { type: 'object', properties: { a: big } };
  expect(factorDefinitions(once)).toBe(once);
});

test('a map of subschemas is never itself replaced by a reference, and data keys are kept as data', () => {
  const big = { type: 'string', enum: Array.from({ length: 200 }, (_, i) => `value-${i}`) };
  const props = { x: big };
  const schema = { anyOf: [{ type: 'object', properties: props }, { type: 'object', properties: props }], default: { x: 'value-1' } };
  const factored = factorDefinitions(schema) as any;
  for (const branch of factored.anyOf) expect(branch).toEqual({ $ref: expect.stringMatching(/^#\/definitions\//) });
  expect(factored.default).toEqual({ x: 'value-1' });
  expect(inlineDefinitions(factored)).toEqual(schema);
});

test.each(MAJORS)('Helm %i refuses a value inside a shared shape (a service\'s affinity) through the reference', async (major) => {
  const bad = valuesFile({ mcp: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: 'not-a-list' } } } } });
  const r = await helm(major, ['template', 'todo', CHART, '-f', bad]);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/nodeSelectorTerms/);
});
