#!/usr/bin/env node
/**
 * `npm run synth` (and `cdk8s synth`): wires the Todo app (apps/todo/) to the synth pipeline
 * (lib/), and hands it the command line. See `npm run synth -- --help`.
 */
import { todoApp } from './apps/todo/app';
import { deferSignalsToExit } from './lib/cli/errors';
import { runSynth } from './lib/cli/synth-command';
import { repoRoot } from './lib/tools/repo-root';

deferSignalsToExit();
process.exitCode = runSynth(todoApp, process.argv.slice(2), {
  root: repoRoot(),
  cdk8sOutdir: process.env.CDK8S_OUTDIR,
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
