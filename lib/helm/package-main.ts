/**
 * `npm run package`: `helm lint --strict` with Helm 3 and Helm 4, then `helm package` into
 * dist/charts/. The Helm binaries come from node_modules (lib/tools/helm-binaries.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureHelm } from '../tools/helm-binaries';
import { repoRoot } from '../tools/repo-root';

const root = repoRoot();
const chart = join(root, 'helm-wrapper');
const out = join(root, 'dist', 'charts');

try {
  for (const major of [3, 4] as const) {
    execFileSync(ensureHelm(major), ['lint', '--strict', chart], { stdio: 'inherit' });
  }
  mkdirSync(out, { recursive: true });
  execFileSync(ensureHelm(3), ['package', chart, '--destination', out], { stdio: 'inherit' });
} catch (e) {
  process.stderr.write(`package failed: ${(e as Error).message.split('\n')[0]}\n`);
  process.exitCode = 1;
}
