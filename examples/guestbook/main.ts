/**
 * A second app built only on the public API of @todo-stack/constructs (not the todo stack): a
 * guestbook with a public web tier and an autoscaled API that only the web tier may call
 * (guestbook.ts). Its Helm chart comes from the same chart compiler as the todo stack's
 * (chart.ts, `node lib/tools/run.js examples/guestbook/chart-main.ts`).
 *
 *   node lib/tools/run.js examples/guestbook/main.ts <outdir>   # in this repository
 *   node main.js <outdir>                                       # in an app that installed the package
 *
 * It writes the production preset as one YAML file to <outdir> (default examples/guestbook/dist),
 * which passes `npm run validate`.
 */
import { App } from 'cdk8s';
import { GUESTBOOK_PRESETS, GuestbookChart } from './guestbook';

const app = new App({ outdir: process.argv[2] ?? 'examples/guestbook/dist', outputFileExtension: '.yaml' });
new GuestbookChart(app, 'guestbook', { values: GUESTBOOK_PRESETS.production, release: 'guestbook' });
app.synth();
