import { largeManifest } from '../../bench/generate';
import { PARALLEL_PARSE_BYTES, parseManifests, parseManifestsParallel } from '../../lib/validate/documents';
import { validateObjects } from '../../lib/validate/validator';
import { readWithGo } from '../go-reader';
import { resolveGoYaml } from '../../lib/output/go-yaml';

describe('parsing a large stream on two threads', () => {
  const { text, objects } = largeManifest(3000);

  test('the text is large enough to take the parallel path', () => {
    expect(text.length).toBeGreaterThan(PARALLEL_PARSE_BYTES);
  });

  test('gives exactly the documents of the sequential parse, in order', () => {
    const parallel = parseManifestsParallel(text, 'big.yaml');
    expect(parallel).toHaveLength(objects);
    expect(parallel).toEqual(parseManifests(text, 'big.yaml'));
  });

  test('a broken document in the second half is reported with its line, the others still read', () => {
    const lines = text.split('\n');
    const at = lines.findIndex((l, i) => i > lines.length * 0.75 && l === 'kind: Service');
    lines.splice(at + 1, 0, 'kind: Duplicate');
    const parsed = parseManifestsParallel(lines.join('\n'), 'big.yaml');
    expect(parsed.filter((i) => i.error)).toEqual([{ file: `big.yaml:${at + 2}`, error: 'Duplicated mapping key' }]);
    expect(parsed.filter((i) => i.object)).toHaveLength(objects - 1);
  });
});

describe('reading YAML as kubectl does (go-yaml v2, then JSON)', () => {
  /** Plain scalars whose type YAML 1.1 and 1.2 disagree on, and some that only look special. */
  const SCALARS = [
    '010', '08', '0x1F', '0o17', '0b101', '-0b101', '+0x10', '1_000', '0_10', '+12', '-0', '1e3', '1E-2', '.5', '-.5', '1.', '1.0', '0644',
    'on', 'On', 'OFF', 'yes', 'Yes', 'no', 'y', 'N', 'true', 'True', 'false', 'tRUE', '~', 'null', 'Null', '',
    '2001-12-14', '2001-12-14t21:59:43.10-05:00', '1:20', '0x', '.', '..', '+', 'oN', 'Infinity', 'nan', '"010"', "'on'", '"a\\tb"', '00', '1__0',
  ];

  test('every tricky plain scalar, as a value and as a key, reads as kubectl reads it', () => {
    const values = SCALARS.map((s, i) => `  v${i}: ${s}`).join('\n');
    // Keys that Go reads alike (010 and 08 are both 8) would be a duplicated key: one of each.
    const byGoKey = new Map(SCALARS.filter((s) => !['', '~', 'null', 'Null'].includes(s)).map((s) => [String(resolveGoYaml(s)?.value ?? s), s]));
    const keys = [...byGoKey.values()].map((s, i) => `    ${s}: k${i}`).join('\n');
    const text = `apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: x\nspec:\n${values}\n  keys:\n${keys}\n`;
    expect(parseManifests(text).map((i) => i.object)).toEqual(readWithGo(text));
  });

  test('a ConfigMap value kubectl sends as a boolean is a boolean, and the schema check names it', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  FEATURE: yes\n  MODE: "0644"\n';
    const [input] = parseManifests(text);
    expect(input.object?.data).toEqual({ FEATURE: true, MODE: '0644' });
    expect(validateObjects([input]).findings.map((f) => f.line)).toContain('ConfigMap flags is invalid: schema /data/FEATURE: expected string, got the boolean true (kubectl reads an unquoted yes, on, 010 or 1e3 as YAML 1.1 does); quote it to send a string');
  });

  test('a defaultMode of 0644 is the octal 420', () => {
    const [input] = parseManifests('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  volumes:\n    - name: c\n      configMap:\n        name: c\n        defaultMode: 0644\n');
    expect(input.object?.spec.volumes[0].configMap.defaultMode).toBe(420);
  });

  test('a NaN or an infinity is an error naming its path, as kubectl cannot send it', () => {
    expect(parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {a: .inf}\n')).toEqual([
      { file: undefined, error: "/metadata/labels/a: a NaN or infinity (.nan, .inf) cannot be sent: kubectl's conversion to JSON fails on it" },
    ]);
  });
});
