import { runEntry } from '../cli/support';
import { deleteNamespace, newNamespaceName } from './node-support';
import { cluster, createTodoSecret, kubectlOk } from './support';

/**
 * SPEC S12 on a real kubelet: when a workload does not become ready, `npm run deploy` prints the
 * cluster's own reason and exits 1. Only a real node produces these reasons.
 */

const env = () => ({ KUBECONFIG: cluster().kubeconfig, KUBECTL: cluster().kubectl });

describe('npm run deploy names why a workload is not ready', () => {
  const namespaces: string[] = [];
  afterEach(() => {
    while (namespaces.length) deleteNamespace(namespaces.pop() as string);
  });

  async function failedDeploy(environment: string, extra: readonly string[], secret = true): Promise<string> {
    const namespace = newNamespaceName(`fail-${environment}`);
    namespaces.push(namespace);
    kubectlOk(['create', 'namespace', namespace]);
    if (secret) createTodoSecret(namespace);
    const r = await runEntry('main.ts', ['deploy', '--env', environment, '--set', `namespace=${namespace}`, ...extra, '--timeout', '30s'], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/deploy failed: \d+ workload\(s\) not ready/);
    return r.stderr;
  }

  test('a missing Secret: the CreateContainerConfigError that names it', async () => {
    const stderr = await failedDeploy('local', [], false);
    expect(stderr).toMatch(/deployment\/todo-backend: not ready after 30 s/);
    expect(stderr).toMatch(/pod todo-backend-\S+: CreateContainerConfigError: secret "todo-secrets" not found/);
  });

  test('an image that is not there: ErrImagePull or ImagePullBackOff with the image', async () => {
    const stderr = await failedDeploy('local', ['--set', 'mcp.image.tag=9.9.9']);
    expect(stderr).toMatch(/pod todo-mcp-\S+: (ErrImagePull|ImagePullBackOff): image todo-mcp:9\.9\.9/);
  });

  test('requests larger than the node: Pending with the scheduler\'s message', async () => {
    const stderr = await failedDeploy('production', ['--set', 'mcp.resources.requests.cpu=3000m', '--set', 'mcp.resources.limits.cpu=3000m']);
    expect(stderr).toMatch(/pod todo-mcp-\S+: Pending: 0\/1 nodes are available: 1 Insufficient cpu/);
  });

  test('a failing health endpoint: the failing probe', async () => {
    const stderr = await failedDeploy('local', ['--set', 'config.extraEnv.STANDIN_FAIL_HEALTH=on-purpose']);
    expect(stderr).toMatch(/pod todo-\w+-\S+: (Readiness|Startup|Liveness) probe failed: HTTP probe failed with statuscode: 500/);
  });
});
