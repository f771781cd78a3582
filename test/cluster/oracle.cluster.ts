import { Discovery, serverDryRun } from '../../lib/cluster/dry-run';
import { validateObjects } from '../../lib/validate/validator';
import { distObjects } from '../helm/support';
import { endpoint, kubectl, kubectlOk, uniqueName } from './support';

/**
 * The server-side dry-run helper (lib/cluster/dry-run.ts): the API server's verdict, one per
 * object, without changing anything. The validator issue uses it as its oracle; here it is shown
 * to agree with the server on dist/ and to report what the offline validator does not yet catch.
 */


describe('server-side dry run', () => {
  const namespace = uniqueName('oracle');
  beforeAll(() => {
    kubectlOk(['create', 'namespace', namespace]);
    kubectlOk(['label', 'namespace', namespace, 'pod-security.kubernetes.io/enforce=restricted']);
  });
  afterAll(() => kubectl(['delete', 'namespace', namespace, '--wait=false']));

  test.each(['local', 'dev', 'production'])('every object of dist/%s is allowed, with no warning, and nothing is created', async (env) => {
    const objects = distObjects(env).filter((o) => o.kind !== 'Namespace').map((o) => ({ ...o, metadata: { ...o.metadata, namespace } }));
    const verdicts = await serverDryRun(endpoint(), objects);
    expect(verdicts.filter((v) => !v.allowed || v.warnings.length)).toEqual([]);
    expect(kubectlOk(['get', 'deployments', '-n', namespace, '-o', 'name'])).toBe('');
  });

  test('a rejected object gets the server\'s message, one verdict per object', async () => {
    const [deployment] = distObjects('local').filter((o) => o.kind === 'Deployment').map((o) => structuredClone(o));
    deployment.metadata.namespace = namespace;
    const bad = structuredClone(deployment);
    bad.metadata.name = 'Bad_Name';
    const privileged = structuredClone(deployment);
    privileged.metadata.name = 'privileged';
    privileged.spec.template.spec.containers[0].securityContext.capabilities.add = ['NET_ADMIN'];
    const verdicts = await serverDryRun(endpoint(), [deployment, bad, privileged, { apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'old' } }]);
    expect(verdicts.map((v) => [v.name, v.allowed, v.status])).toEqual([
      [deployment.metadata.name, true, 201], ['Bad_Name', false, 422], ['privileged', true, 201], ['old', false, 404],
    ]);
    expect(verdicts[1].message).toContain('metadata.name: Invalid value: "Bad_Name"');
    // A Deployment whose pods add a capability is admitted with a warning; its pods would be refused.
    expect(verdicts[2].warnings.join('\n')).toContain('would violate PodSecurity "restricted:latest": unrestricted capabilities');
  });

  test('the server rejects single-field mutations with its own messages (compared with the offline validator, printed)', async () => {
    const [base] = distObjects('local').filter((o) => o.kind === 'Deployment' && o.metadata.name === 'todo-backend');
    const mutations: Array<[string, (o: any) => void]> = [
      ['label value with a leading dash', (o) => { o.metadata.labels.tier = '-backend'; }],
      ['container port name too long', (o) => { o.spec.template.spec.containers[0].ports[0].name = 'a-port-name-that-is-too-long'; }],
      ['duplicate container port', (o) => { const c = o.spec.template.spec.containers[0]; c.ports.push({ ...c.ports[0] }); }],
      ['negative replicas', (o) => { o.spec.replicas = -1; }],
      ['probe with no handler', (o) => { delete o.spec.template.spec.containers[0].livenessProbe.httpGet; }],
      ['runAsUser out of range', (o) => { o.spec.template.spec.securityContext.runAsUser = 2 ** 31 + 1; }],
    ];
    const cases = mutations.map(([name, mutate]) => {
      const o = structuredClone(base);
      o.metadata.namespace = namespace;
      mutate(o);
      return { name, object: o };
    });
    const verdicts = await serverDryRun(endpoint(), cases.map((c) => c.object), namespace, new Discovery(endpoint()));
    const lines = cases.map((c, i) => {
      const rules = [...new Set(validateObjects([{ object: c.object }]).findings.filter((f) => f.status !== 'warning').map((f) => f.ruleId))];
      return `${c.name}: server ${verdicts[i].allowed ? 'allows' : `rejects (${verdicts[i].message.slice(0, 100)})`}; offline validator ${rules.length ? `rejects by ${rules.join(', ')}` : 'allows'}`;
    });
    console.log(`server vs offline validator:\n${lines.join('\n')}`);
    expect(verdicts.every((v) => !v.allowed)).toBe(true);
  });
});
