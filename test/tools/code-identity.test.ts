import { cachedByCode, codeIdentity } from '../../lib/tools/code-identity';
import { tempDir } from '../cli/support';

/** lib/tools/code-identity.ts: a result is remembered per bundle identity and input, and only with one. */
const IDENTITY = Symbol.for('todo-stack.code-sha256');
const globals = globalThis as Record<symbol, string | undefined>;

let calls = 0;
const compute = () => ++calls;
const cached = (input: unknown) => cachedByCode('test-cache', input, compute, (n) => n, (d) => d as number);

beforeEach(() => {
  calls = 0;
  process.env.XDG_CACHE_HOME = tempDir('todo-stack-cache-');
});
afterEach(() => {
  delete globals[IDENTITY];
  delete process.env.XDG_CACHE_HOME;
});

test('without a bundle identity (jest) every call computes', () => {
  expect(codeIdentity()).toBeUndefined();
  expect([cached('a'), cached('a')]).toEqual([1, 2]);
});

test('the same code and input compute once', () => {
  globals[IDENTITY] = 'code-1';
  expect([cached('a'), cached('a')]).toEqual([1, 1]);
});

test('another input or another code computes again', () => {
  globals[IDENTITY] = 'code-1';
  expect(cached('a')).toBe(1);
  expect(cached('b')).toBe(2);
  globals[IDENTITY] = 'code-2';
  expect(cached('a')).toBe(3);
});
