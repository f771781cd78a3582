import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint, ROOT, synthCli, tempDir } from './support';

/**
 * Every bad input exits non-zero, names the key in one line, prints no stack trace, and leaves
 * dist/ and helm-wrapper/ byte-for-byte as they were.
 */
const cases: Array<[string, string[], RegExp]> = [
  ['a value of the wrong type', ['--set', 'backend.replicas=two'], /--set: backend\.replicas: expected an integer >= 1 and <= 1000, got "two"/],
  ['an unknown key', ['--set', 'backend.replicaz=3'], /--set: backend\.replicaz: unknown key/],
  ['a limit below its request', ['--set', 'backend.resources.limits.memory=128Mi'], /backend\.resources\.limits\.memory: limit 128Mi is below the request 256Mi/],
  ['minReplicas above maxReplicas', ['--env', 'production', '--set', 'backend.autoscaling.minReplicas=11'], /backend\.autoscaling\.minReplicas: 11 is greater than maxReplicas 10/],
  ['a nodePort out of range', ['--set', 'frontend.service.nodePort=8080'], /frontend\.service\.nodePort: expected an integer >= 30000 and <= 32767, got 8080/],
  ['a nodePort on a LoadBalancer', ['--env', 'production', '--set', 'frontend.service.nodePort=30080'], /frontend\.service\.nodePort: is only allowed with service type NodePort, not LoadBalancer/],
  ['a port out of range', ['--set', 'mcp.service.port=0'], /mcp\.service\.port: expected an integer >= 1 and <= 65535, got 0/],
  ['an image tagged latest', ['--set', 'frontend.image.tag=latest'], /frontend\.image\.tag: image tag must not be "latest"/],
  ['an invalid image repository', ['--set', 'frontend.image.repository=UPPER/case'], /frontend\.image\.repository: image repository must be a valid image repository/],
  ['production without high availability', ['--env', 'production', '--set', 'mcp.replicas=1'], /mcp\.replicas: production must be highly available/],
  ['local over its budget', ['--env', 'local', '--set', 'backend.replicas=12'], /\*\.resources\.requests\.cpu: the local requests total \d+m CPU at maximum replicas, over the budget of 2 CPU/],
  ['an unknown environment', ['--env', 'staging'], /environment: unknown environment "staging"; valid environments are local, dev, production/],
  ['a missing values file', ['--values', '/nonexistent/values.yaml'], /\/nonexistent\/values\.yaml: \(file\): no such values file/],
  ['secrets.create for dist/', ['--set', 'secrets.create=true'], /secrets\.create: true is Helm-only/],
  ['a credential in a ConfigMap value', ['--set', 'config.extraEnv.UPSTREAM=postgres://app:hunter2@db/app'], /ConfigMap todo\/todo-backend-config is invalid: secrets\.value-looks-secret data\["UPSTREAM"\]: UPSTREAM holds what looks like a URL with a password/],
];

describe('bad input through the real CLI', () => {
  let root: string;
  let before: Record<string, string>;

  beforeAll(() => {
    root = tempDir();
    cpSync(join(ROOT, 'dist/local'), join(root, 'dist/local'), { recursive: true });
    cpSync(join(ROOT, 'helm-wrapper'), join(root, 'helm-wrapper'), { recursive: true });
    before = fingerprint(root);
  });

  test.each(cases)('%s', async (_name, args, message) => {
    const r = await synthCli([...args, '--root', root]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('nothing was written');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fingerprint(root)).toEqual(before);
  });

  test('a YAML syntax error names the file and the line', async () => {
    const file = join(tempDir(), 'broken.yaml');
    writeFileSync(file, 'backend:\n  replicas: 2\n  image: [unclosed\n');
    const r = await synthCli(['--values', file, '--root', root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${file}:3: (yaml): did not find expected ',' or ']' (as Helm reads it)`);
    expect(fingerprint(root)).toEqual(before);
  });

  test('a values file naming another environment than --env is an error', async () => {
    const file = join(tempDir(), 'prod.yaml');
    writeFileSync(file, 'environment: production\n');
    const r = await synthCli(['--env', 'local', '--values', file, '--root', root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('environment: says production, but --env asks for local');
  });
});
