/** `npm run validate -- <paths|->`: see lib/cli/validate-command.ts. */
import { readStdinSync, runValidate } from './validate-command';

/**
 * Lines to a stream in chunks of about 64 KiB: a report on a large input holds hundreds of
 * thousands of lines, and one write per line cost a tenth of the run (BENCHMARKS.md).
 */
function bufferedLines(stream: NodeJS.WriteStream) {
  let pending: string[] = [];
  let size = 0;
  const flush = () => {
    if (pending.length) stream.write(pending.join(''));
    pending = [];
    size = 0;
  };
  return {
    line(text: string) {
      pending.push(`${text}\n`);
      size += text.length + 1;
      if (size >= 64 * 1024) flush();
    },
    flush,
  };
}

const out = bufferedLines(process.stdout);
const err = bufferedLines(process.stderr);
try {
  process.exitCode = runValidate(process.argv.slice(2), { readStdin: readStdinSync, out: out.line, err: err.line });
} finally {
  out.flush();
  err.flush();
}
