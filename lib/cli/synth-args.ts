import { parseArgs } from 'node:util';
import { parsingUsage } from './errors';

/** The parsed `npm run synth` command line. */
export interface SynthArgs {
  /** Environments to synthesize; empty means every one (or the one a values file names). */
  readonly envs: readonly string[];
  /** Values files, applied in order. */
  readonly valuesFiles: readonly string[];
  /** `--set` expressions, applied in order after the files. */
  readonly sets: readonly string[];
  /** Write nothing; fail if the committed output is stale. */
  readonly check: boolean;
  /** Print only problems. */
  readonly quiet: boolean;
  /** Folder that holds dist/ and helm-wrapper/, instead of the repository. */
  readonly root?: string;
  readonly help: boolean;
}

export const SYNTH_USAGE = `Usage: npm run synth -- [options]

Synthesizes, validates and writes dist/<env>/ and helm-wrapper/ (atomically: all or nothing).

Options:
  --env <name>        Synthesize only this environment (local, dev, production); repeatable.
                      Only dist/<env>/ is written; helm-wrapper/ is left as it is.
  --values <file>     Layer a YAML values file over the environment preset; repeatable, in order.
                      An "environment:" key in it picks the preset. Read as Helm reads -f.
  --set <key=value>   Set values as Helm's --set does (a.b=1,c=x, escapes, {a,b} lists); repeatable.
  --check             Write no output; exit 1 listing the files whose committed output is stale.
                      (A run that was killed mid-write is undone first, as any synth does.)
  --quiet             Print only problems.
  --root <dir>        Write (or --check) dist/ and helm-wrapper/ under <dir> instead of the repository.
  -h, --help          Show this help.

--values and --set apply to every environment this run synthesizes (all three, the --env ones,
or the one "environment:" names): those dist/<env>/ folders then hold the overridden output,
which --check reports as stale until a plain "npm run synth". helm-wrapper/ never takes them:
its values files are always the presets (override the chart with helm's own -f and --set).

Exit codes: 0 success; 1 invalid values, failed validation or stale output; 2 bad usage;
3 a file-system error (one line naming the path and the cause); 4 another synth kept the
output locked for 2 minutes. Flags go after "--": npm run synth -- --check.`;

/** Parses argv (without `node main.ts`). */
export function parseSynthArgs(argv: readonly string[]): SynthArgs {
  const parsed = parsingUsage(() => parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      env: { type: 'string', multiple: true },
      values: { type: 'string', multiple: true, short: 'f' },
      set: { type: 'string', multiple: true },
      check: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      root: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
  const v = parsed.values;
  return {
    envs: v.env ?? [],
    valuesFiles: v.values ?? [],
    sets: v.set ?? [],
    check: v.check ?? false,
    quiet: v.quiet ?? false,
    root: v.root,
    help: v.help ?? false,
  };
}
