/** `npm run validate -- <paths|->`: see lib/cli/validate-command.ts. */
import { readStdinSync, runValidate } from './validate-command';

process.exitCode = runValidate(process.argv.slice(2), {
  readStdin: readStdinSync,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
