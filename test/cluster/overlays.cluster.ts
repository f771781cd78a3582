import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inlineDefinitions } from '../../lib/helm/schema-definitions';
import { ROOT, tempDir } from '../cli/support';
import { randomOverlay } from '../helm/overlays';
import { synthOutcome } from '../helm/support';
import { seededRandom } from '../support';
import { createTodoSecret, helm, items, kubectl, kubectlOk, plainNamespace, restrictedNamespace } from './support';

/**
 * A sample of the property test's random overlays (test/helm/property.test.ts), installed for
 * real with Helm 4 (12, or TODO_STACK_CLUSTER_OVERLAYS): each overlay synth renders must install on the API server, into a namespace
 * that enforces `restricted`, and the server must hold the objects synth rendered.
 */
const CHART = join(ROOT, 'helm-wrapper');
// The overlay generator walks the schema: its shared definitions are written out where they are used.
const SCHEMA = inlineDefinitions(JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')));
const SAMPLE = Number(process.env.TODO_STACK_CLUSTER_OVERLAYS ?? 12);
/** Helm-only keys, and the frontend Service (a fixed nodePort would collide across releases). */
const SKIP = ['secrets.create', 'secrets.databaseUrl', 'secrets.openaiApiKey', 'secrets.betterAuthSecret', 'frontend.service', 'namespace'];

function sample(): Array<{ overlay: object; env: string; file: string; objects: Array<Record<string, any>> }> {
  const random = seededRandom('overlays installed on the cluster');
  const dir = tempDir('todo-stack-cluster-overlays-');
  const out: Array<{ overlay: object; env: string; file: string; objects: Array<Record<string, any>> }> = [];
  for (let i = 0; out.length < SAMPLE && i < 500; i++) {
    const overlay = { ...randomOverlay(random, SCHEMA, { skip: SKIP }), environment: undefined };
    const env = random() < 0.5 ? 'dev' : 'production';
    const file = join(dir, `overlay-${i}.json`);
    writeFileSync(file, JSON.stringify(overlay));
    // A refusal is the offline property test's to compare; an unexpected error fails here.
    const outcome = synthOutcome([file], [`environment=${env}`]);
    if ('objects' in outcome) out.push({ overlay, env, file, objects: outcome.objects });
  }
  return out;
}

test(`${SAMPLE} random overlays that synth renders install for real, and the server holds synth's objects`, () => {
  const failures: string[] = [];
  for (const [i, { overlay, env, file, objects }] of sample().entries()) {
    // manageNamespace takes the existing namespace over, which Helm does only when told to (the chart
    // README); its labels then come from the release, so that namespace starts without them.
    const manageNamespace = (overlay as { manageNamespace?: boolean }).manageNamespace === true;
    const ns = manageNamespace ? plainNamespace(`overlay${i}`) : restrictedNamespace(`overlay${i}`);
    createTodoSecret(ns);
    const takeOwnership = manageNamespace ? ['--take-ownership'] : [];
    const r = helm(4, ['install', 'todo', CHART, '--namespace', ns, '-f', file, '--set', `environment=${env}`, ...takeOwnership]);
    if (r.code !== 0) {
      failures.push(`${JSON.stringify(overlay)} (${env}): ${r.stderr.trim()}`);
    } else {
      const kinds = 'deployment,service,configmap,networkpolicy,pdb,hpa,serviceaccount,ingress';
      const onServer = items(kubectlOk(['get', kinds, '-n', ns, '-l', 'app.kubernetes.io/instance=todo', '-o', 'json']));
      const names = (objects: Array<Record<string, any>>) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
      const expected = names(objects.filter((o) => o.kind !== 'Namespace'));
      if (JSON.stringify(names(onServer)) !== JSON.stringify(expected)) failures.push(`${JSON.stringify(overlay)} (${env}): the server holds ${names(onServer).join(', ')}`);
    }
    kubectl(['delete', 'namespace', ns, '--wait=false']);
  }
  expect(failures).toEqual([]);
});
