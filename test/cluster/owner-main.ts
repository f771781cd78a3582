/** A process that starts an api-tier cluster, prints `dir=<folder>`, and waits to be killed (harness.cluster.ts). */
import { startCluster } from '../../lib/cluster/cluster';

startCluster({ tier: 'api' }).then((cluster) => {
  process.stdout.write(`dir=${cluster.dir}\n`);
  setInterval(() => undefined, 1 << 30);
}, (e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
