/**
 * Writes the guestbook's Helm chart (chart.ts) to <outdir> (default examples/guestbook/chart),
 * after Helm has rendered it and every preset rendered the objects synth makes of it:
 *
 *   npm run guestbook:chart -- [outdir]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { verifyChart } from '../../lib/helm/verify-chart';
import { referenceRenders } from '../../lib/helm/compile-chart';
import { GUESTBOOK_CHART, guestbookChartFiles, synthesizeGuestbook } from './chart';
import { GUESTBOOK_PRESETS } from './guestbook';

const out = process.argv[2] ?? 'examples/guestbook/chart';
const files = guestbookChartFiles();
const presets = Object.entries(GUESTBOOK_PRESETS).map(([environment, values]) => ({ environment, objects: synthesizeGuestbook(values, 'guestbook').objects }));
const problems = verifyChart(files, presets, { release: 'guestbook', defaultEnvironment: GUESTBOOK_CHART.defaultEnvironment, references: referenceRenders(GUESTBOOK_CHART) });
if (problems.length) {
  for (const p of problems) process.stderr.write(`error: ${p}\n`);
  process.exitCode = 1;
} else {
  rmSync(out, { recursive: true, force: true });
  for (const [path, text] of files) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), text);
  }
  process.stdout.write(`wrote: ${out}/ (${files.size} files)\n`);
}
