import { largeManifest } from '../../bench/generate';
import { PARALLEL_PARSE_BYTES, parseManifests, parseManifestsParallel } from '../../lib/validate/documents';

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
