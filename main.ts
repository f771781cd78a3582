#!/usr/bin/env node
/**
 * `npm run synth` (and `cdk8s synth`): reads the command line once and hands it to the
 * pipeline in lib/. See `npm run synth -- --help`.
 */
import { deferSignalsToExit } from './lib/cli/errors';
import { runSynth } from './lib/cli/synth-command';
import { repoRoot } from './lib/tools/repo-root';

deferSignalsToExit();
process.exitCode = runSynth(process.argv.slice(2), {
  root: repoRoot(),
  cdk8sOutdir: process.env.CDK8S_OUTDIR,
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
