import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The SHA-256 of the bundle this process runs (lib/tools/run.js sets it), or undefined when the
 * code was not bundled (jest, tsx): then nothing is cached, since nothing names the code.
 */
export function codeIdentity(): string | undefined {
  return (globalThis as Record<symbol, string | undefined>)[Symbol.for('todo-stack.code-sha256')];
}

/**
 * The result of `compute` for `input`, remembered in the user's cache folder under the code's
 * identity and the input's: a pure function of the two is computed once per code and input.
 * Without a code identity it is always computed.
 */
export function cachedByCode<T>(name: string, input: unknown, compute: () => T, encode: (t: T) => unknown, decode: (data: unknown) => T): T {
  const code = codeIdentity();
  if (!code) return compute();
  const key = createHash('sha256').update(code).update('\0').update(JSON.stringify(input)).digest('hex');
  const file = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'todo-stack', name, `${key}.json`);
  try {
    return decode(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    // Not cached yet (or unreadable): computed below.
  }
  const result = compute();
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(encode(result)));
    renameSync(temp, file);
  } catch {
    // A home folder that cannot be written only means the next run computes it again.
  }
  return result;
}
