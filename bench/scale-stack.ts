import { App, Chart } from 'cdk8s';
import { DefaultDenyNetworkPolicy, HardenedNamespace, ScaledBackend, selectorLabels, standardLabels } from '../constructs';
import { manifestFiles } from '../lib/output/manifest-files';
import type { OutputTree } from '../lib/output/output-tree';
import { validateObjects } from '../lib/validate/validator';

const ENVIRONMENTS = [
  { name: 'local', replicas: 1, maxReplicas: undefined },
  { name: 'dev', replicas: 2, maxReplicas: 4 },
  { name: 'production', replicas: 2, maxReplicas: 10 },
] as const;

/**
 * A stack of N services through the same constructs, in three environments: each service a
 * ScaledBackend with its ConfigMap, called by the one before it. Returns the output trees,
 * after validation (which must find nothing).
 */
export function scaleStack(services: number): { trees: OutputTree[]; objects: number } {
  const trees: OutputTree[] = [];
  let count = 0;
  for (const env of ENVIRONMENTS) {
    const chart = new Chart(new App({ outdir: '/nonexistent' }), env.name, { disableResourceNameHashes: true });
    const namespace = 'scale';
    const labels = (component: string) => standardLabels({ partOf: 'scale', instance: 'bench', component, version: '1.0.0', environment: env.name });
    new HardenedNamespace(chart, 'Namespace', { name: namespace, labels: labels('platform') });
    new DefaultDenyNetworkPolicy(chart, 'DefaultDeny', { name: 'default-deny', namespace, labels: labels('platform') });
    let previous: ScaledBackend | undefined;
    for (let i = 0; i < services; i++) {
      const name = `svc-${i}`;
      const service = new ScaledBackend(chart, `Service${i}`, {
        name,
        namespace,
        labels: labels(name),
        selectorLabels: selectorLabels({ instance: 'bench', component: name }),
        description: `benchmark service ${i}`,
        image: `example/${name}:1.0.0`,
        port: 8080,
        healthPath: '/health',
        replicas: env.replicas,
        maxReplicas: env.maxReplicas,
        cpu: { request: '50m', limit: '100m' },
        memory: { request: '64Mi', limit: '128Mi' },
      });
      if (previous) service.allowFrom(previous);
      previous = service;
    }
    const objects = chart.toJson();
    const report = validateObjects(objects.map((object) => ({ object })));
    if (report.findings.length) throw new Error(`scale stack is invalid: ${report.findings[0].line}`);
    trees.push({ dir: `dist/${env.name}`, files: manifestFiles(objects) });
    count += objects.length;
  }
  return { trees, objects: count };
}
