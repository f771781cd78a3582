import type { Construct } from 'constructs';

/** A construct prop that breaks a rule: a user error, reported without a stack trace. */
export class PropError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'PropError';
  }
}

/**
 * Builds the error every construct throws for a bad prop: it names the
 * construct path, the prop, the value given, the rule broken, and the fix.
 *
 * @example
 * throw propError(this, 'replicas', 0, 'must be an integer >= 1', 'Set replicas to 1 or more.');
 * // Error: Default/Web: replicas must be an integer >= 1, got 0. Set replicas to 1 or more.
 */
export function propError(scope: Construct, prop: string, value: unknown, rule: string, fix?: string): PropError {
  const path = scope.node.path || '<root>';
  const fixText = fix ? ` ${fix}` : '';
  return new PropError(`${path}: ${prop} ${rule}, got ${JSON.stringify(value)}.${fixText}`);
}
