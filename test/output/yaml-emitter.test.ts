import { parse } from 'yaml';
import { emitYaml, isPlainSafe } from '../../lib/output/yaml-emitter';
import { stackOf } from '../app/support';

const TRICKY = [
  '', ' ', 'yes', 'No', 'on', 'OFF', 'y', 'n', '~', 'null', 'true', 'False', '1.0', '1.0.0', '0x1F', '0o17', '1e3', '1_000', '1:20', '.inf', '-.5',
  '2001-12-14', 'a: b', 'a:', 'key #comment', '#x', '- x', '? x', '[x]', '{x}', '*alias', '&anchor', '!tag', '|', '>', '%x', '@x', '`x`',
  "it's", 'say "hi"', 'back\\slash', 'line\nbreak', 'tab\there', ' lead', 'trail ', '{{ .Values.x }}', 'http://todo-backend:8000', 'todo-backend:1.0.0',
  'ünïcode', 'emoji 🚀', 'sha256:abc', '0', '-1', '+1', '=', 'a,b', '/api/health',
];

describe('YAML emitter', () => {
  test.each(TRICKY)('%j reads back as the same string under YAML 1.2 and 1.1', (s) => {
    const text = emitYaml({ key: s, list: [s], [s || 'empty']: 1 });
    expect(parse(text)).toEqual({ key: s, list: [s], [s || 'empty']: 1 });
    expect(parse(text, { version: '1.1' })).toEqual({ key: s, list: [s], [s || 'empty']: 1 });
  });

  test('plain strings stay unquoted', () => {
    expect(['todo-backend', 'RuntimeDefault', 'http://todo-backend:8000', '/api/health', 'Next.js web UI; calls the backend.'].every(isPlainSafe)).toBe(true);
    expect(['1.0.0', 'yes', 'a: b', '', '{{ x }}'].some(isPlainSafe)).toBe(false);
  });

  test('numbers, booleans, null, empty collections and nesting', () => {
    const value = { n: 1, f: 0.5, neg: -3, t: true, f2: false, z: null, em: {}, el: [], nested: { list: [{ a: 1, b: [1, 2] }, [3, 4], 'x'] } };
    expect(parse(emitYaml(value))).toEqual(value);
    expect(emitYaml(value)).toBe(`"n": 1
f: 0.5
neg: -3
t: true
f2: false
z: null
em: {}
el: []
nested:
  list:
    - a: 1
      b:
        - 1
        - 2
    - - 3
      - 4
    - x
`);
  });

  test.each(['local', 'dev', 'production'] as const)('every %s object round-trips', (env) => {
    for (const o of stackOf(env)) expect(parse(emitYaml(o))).toEqual(o);
  });

  test('refuses values YAML cannot hold', () => {
    expect(() => emitYaml({ x: Number.NaN })).toThrow('cannot write NaN as YAML');
  });
});
