/** One problem with the configuration: where it came from, the key path, and what is wrong. */
export interface ValuesProblem {
  /** The values file, `--set`, or the environment preset. */
  readonly source: string;
  /** Dotted key path, for example `backend.replicas`. */
  readonly path: string;
  readonly message: string;
}

/** Formats a problem as one line: `--set: backend.replicas: expected an integer >= 1, got "two"`. */
export function formatProblem(p: ValuesProblem): string {
  return `${p.source}: ${p.path || '(root)'}: ${p.message}`;
}

/** Thrown when configuration is invalid; carries every problem, not just the first. */
export class ValuesError extends Error {
  public constructor(public readonly problems: readonly ValuesProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ValuesError';
  }
}

/** A values overlay with the place it came from. */
export interface ValuesLayer {
  readonly source: string;
  readonly data: unknown;
}
