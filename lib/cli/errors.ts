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
