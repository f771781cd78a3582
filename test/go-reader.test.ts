import { readManyWithGo, readWithGo } from './go-reader';

/** The batched Go reader (one kubectl for many streams) gives what reading each alone gives. */

const cm = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;

test('a batch of streams reads as each stream alone, and an empty stream as no objects', async () => {
  const texts = [`${cm('a')}---\n${cm('b', 'data:\n  on: yes\n')}`, '', cm('c', 'data:\n  x: "1"'), '---\n'];
  const batch = await readManyWithGo(texts);
  expect(batch).toEqual(texts.map((t) => ({ objects: t.replace(/-/g, '').trim() ? readWithGo(t) : [] })));
  expect((batch[0] as { objects: Array<Record<string, any>> }).objects[1].data).toEqual({ true: true }); // YAML 1.1: both sides of `on: yes` are booleans to Go
});

test('a stream Go cannot read is an error of its own; the others still read', async () => {
  const batch = await readManyWithGo([cm('a'), 'a: [unclosed\n', cm('b')]);
  expect(batch).toEqual([{ objects: readWithGo(cm('a')) }, { error: expect.stringMatching(/yaml|error/i) }, { objects: readWithGo(cm('b')) }]);
});
