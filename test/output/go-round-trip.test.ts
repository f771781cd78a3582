import { isDeepStrictEqual } from 'node:util';
import { manifestFiles } from '../../lib/output/manifest-files';
import { emitYaml, YamlEmitError } from '../../lib/output/yaml-emitter';
import { stackOf } from '../app/support';
import { readWithGo } from '../go-reader';
import { seededRandom } from '../support';

/**
 * SPEC S6 "What Go reads": every string the emitter writes means to Go's YAML reader (kubectl's,
 * which Helm shares) exactly what it meant to synth. Fuzzed over every class of code point.
 */

let random: () => number = () => 0;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

/** Code point classes, each a [low, high] range (inclusive), lone surrogates excluded. */
const CLASSES: Readonly<Record<string, [number, number]>> = {
  c0: [0x00, 0x1f],
  ascii: [0x20, 0x7e],
  del: [0x7f, 0x7f],
  c1: [0x80, 0x9f],
  nel: [0x85, 0x85],
  latin1: [0xa0, 0xff],
  bmp: [0x100, 0xd7ff],
  lineSeparators: [0x2028, 0x2029],
  privateUse: [0xe000, 0xf8ff],
  bom: [0xfeff, 0xfeff],
  specials: [0xfff0, 0xfffd],
  nonCharacters: [0xfffe, 0xffff],
  astral: [0x10000, 0x10ffff],
};
const YAML_TRICKS = ['yes', 'on', 'Off', 'y', '~', 'null', '010', '0x1F', '1e3', '.inf', '- ', ': ', ' #', '{{', '}}', '"', "'", '\\', '&a', '*a', '!t', '%', '@', '`', '|', '>', '? ', '[', ']', ',', ' ', '\t', '\n', '\r\n'];

function randomString(): string {
  const parts: string[] = [];
  const length = between(0, 12);
  for (let i = 0; i < length; i++) {
    if (random() < 0.25) {
      parts.push(pick(YAML_TRICKS));
    } else {
      const [lo, hi] = CLASSES[pick(Object.keys(CLASSES))];
      parts.push(String.fromCodePoint(between(lo, hi)));
    }
  }
  return parts.join('');
}

const configMap = (i: number, data: Record<string, string>, annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `fuzz-${i}`, annotations }, data,
});

describe('Go reads what synth writes', () => {
  beforeAll(() => {
    random = seededRandom('Go round-trip fuzz');
  });

  test('2,000 random strings over every code point class, as values and as keys, read back identically', () => {
    const objects = Array.from({ length: 400 }, (_, i) => {
      const values = Array.from({ length: 5 }, () => randomString());
      return configMap(i, Object.fromEntries(values.map((v, j) => [`v${j}`, v])), { [`k-${randomString()}`]: values[0] });
    });
    const text = objects.map((o) => emitYaml(o)).join('---\n');
    const read = readWithGo(text);
    expect(read.length).toBe(objects.length);
    const mismatches = objects.flatMap((o, i) => (isDeepStrictEqual(read[i], o) ? [] : [{ wrote: o, goRead: read[i] }]));
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  test.each(Object.keys(CLASSES))('every code point of a sample of class %s reads back identically', (name) => {
    const [lo, hi] = CLASSES[name];
    const step = Math.max(1, Math.floor((hi - lo) / 4000));
    const codePoints: number[] = [];
    for (let c = lo; c <= hi; c += step) codePoints.push(c);
    const data = Object.fromEntries(codePoints.map((c) => [`u${c.toString(16)}`, `a${String.fromCodePoint(c)}b ${String.fromCodePoint(c)}`]));
    const object = configMap(0, data);
    expect(readWithGo(emitYaml(object))[0]).toEqual(object);
  });

  test('spaces beside U+2028 and U+2029, and NEL, are kept', () => {
    const object = configMap(0, { a: 'x \u2028 y', b: ' \u2029 ', c: 'a\u0085b', d: '\u0085' });
    expect(readWithGo(emitYaml(object))[0]).toEqual(object);
  });

  test('keys longer than 1024 characters are read back', () => {
    const long = 'k'.repeat(3000);
    const wide = '\u00e9'.repeat(1500);
    const object = configMap(0, { [long]: 'v', [wide]: 'w' }, { [long]: 'x' });
    const nested = { ...configMap(1, {}), spec: { [long]: { inner: [1, 2] } } };
    expect(readWithGo(`${emitYaml(object)}---\n${emitYaml(nested)}`)).toEqual([object, nested]);
  });

  test('throws if a string holds a lone surrogate, naming the path', () => {
    expect(() => emitYaml(configMap(0, { bad: 'a\ud800b' }))).toThrow(YamlEmitError);
    expect(() => emitYaml(configMap(0, { bad: 'a\ud800b' }))).toThrow('data.bad: holds a lone UTF-16 surrogate (U+D800) at index 1');
    expect(() => emitYaml(configMap(0, { bad: '\udc00' }))).toThrow('lone UTF-16 surrogate (U+DC00)');
  });

  test.each(['local', 'dev', 'production'] as const)('every committed %s file means to Go what synth meant', (env) => {
    const objects = stackOf(env);
    const files = [...manifestFiles(objects).values()];
    const read = readWithGo(files.join('---\n'));
    const byName = (list: Array<Record<string, any>>) => Object.fromEntries(list.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
    expect(byName(read)).toEqual(byName(objects));
  });
});
