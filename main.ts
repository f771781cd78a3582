#!/usr/bin/env node
/**
 * `npm run synth` (and `cdk8s synth`), `npm run plan` and `npm run deploy`: wires the Todo app
 * (apps/todo/) to the pipeline (lib/), and hands it the command line. See `--help` of each.
 */
import { todoApp } from './apps/todo/app';
import { runDeploy } from './lib/cli/deploy-command';
import { deferSignalsToExit } from './lib/cli/errors';
import { runSynth } from './lib/cli/synth-command';
import { repoRoot } from './lib/tools/repo-root';

const io = {
  root: repoRoot(),
  cdk8sOutdir: process.env.CDK8S_OUTDIR,
  env: process.env,
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};
const [command, ...rest] = process.argv.slice(2);
if (command === 'plan' || command === 'deploy') {
  runDeploy(todoApp, command, rest, io).then((code) => {
    process.exitCode = code;
  });
} else {
  deferSignalsToExit();
  process.exitCode = runSynth(todoApp, process.argv.slice(2), io);
}
