import { formatProblem, ValuesError } from '../values/problems';
/** A mistake in how the command was called: exit 2 with usage, never a stack trace. */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Input or output that failed validation: exit 1 with one line per problem, never a stack trace. */
export class CheckFailedError extends Error {
  public constructor(public readonly lines: readonly string[], headline: string) {
    super(headline);
    this.name = 'CheckFailedError';
  }
}

/** Runs a command-line parser, turning its errors (unknown flag, missing value) into UsageErrors. */
export function parsingUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** A file-system error while reading or writing output: exit 3, one line naming the path and the cause. */
export const FILE_SYSTEM_EXIT = 3;
/** Another synth held the output lock for too long: exit 4. */
export const BUSY_EXIT = 4;

const CAUSES: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  EEXIST: 'already exists',
  ENOENT: 'no such file or folder',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error',
  EBUSY: 'resource busy',
  EXDEV: 'on another file system than the staging folder',
};

/** The one line for a Node file-system error, or undefined if `e` is not one. */
export function fileSystemErrorLine(e: unknown): string | undefined {
  const error = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || typeof error.code !== 'string' || !/^E[A-Z]+$/.test(error.code) || typeof error.syscall !== 'string') return undefined;
  const path = (error as { dest?: string }).dest ?? error.path;
  const cause = error.syscall === 'mkdir' && error.code === 'EEXIST' ? 'exists and is not a folder' : CAUSES[error.code] ?? error.code;
  return `cannot ${error.syscall}${path ? ` ${path}` : ''}: ${cause} (${error.code})`;
}

/**
 * Flags that npm took for itself: `npm run synth --check` (without `--`) runs synth with no flag
 * and hands `--check` over only as the environment variable `npm_config_check`. Returns the
 * error to report, naming the command that was meant.
 */
export function npmSwallowedFlags(script: string, flags: readonly string[], env: NodeJS.ProcessEnv): UsageError | undefined {
  if (!env.npm_lifecycle_event) return undefined;
  const swallowed = flags.flatMap((flag) => {
    const value = env[`npm_config_${flag.replace(/-/g, '_')}`];
    if (value === undefined) return [];
    return [value === 'true' || value === '' ? `--${flag}` : `--${flag} ${value}`];
  });
  if (!swallowed.length) return undefined;
  return new UsageError(`npm took ${swallowed.join(' ')} for itself, so ${script} never saw it; put flags after "--": npm run ${script} -- ${swallowed.join(' ')}`);
}

/**
 * Makes SIGINT, SIGTERM and SIGHUP wait for the synchronous work in progress: the run finishes
 * (or undoes) its write, then the process exits with 128 + the signal's number. Without a
 * handler, Node dies at once, wherever it is. For command-line entry points only.
 */
export function deferSignalsToExit(): void {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(signal, () => process.exit(code));
  }
}

/**
 * The exit code and lines of the input problems every command reports alike: bad usage (2, with
 * the usage text), invalid values and failed validation (1, one line per problem, then
 * `failed`, or the check's own headline when `failed` leaves it). Undefined for other errors.
 */
export function reportInputError(e: unknown, err: (line: string) => void, usage: string, failed: { values: string; check?: string }): number | undefined {
  if (e instanceof UsageError) {
    err(`error: ${e.message}`);
    err(usage);
    return 2;
  }
  if (e instanceof ValuesError) {
    for (const p of e.problems) err(`error: ${formatProblem(p)}`);
    err(failed.values);
    return 1;
  }
  if (e instanceof CheckFailedError) {
    for (const line of e.lines) err(`error: ${line}`);
    err(failed.check ?? e.message);
    return 1;
  }
  return undefined;
}
