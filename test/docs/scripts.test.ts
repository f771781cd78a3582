import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runProcess, tempDir } from '../cli/support';

const SCRIPTS = ['scripts/deploy-local.sh', 'scripts/smoke.sh', 'scripts/lib.sh'];

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return runProcess('bash', [join(ROOT, script), ...args], { env });
}

/** A fake kubectl that logs its calls and answers `version` with the given exit code. */
function fakeKubectl(opts: { reachable: boolean; secret: boolean }): { bin: string; log: string } {
  const dir = tempDir();
  const log = join(dir, 'calls.log');
  const bin = join(dir, 'kubectl');
  writeFileSync(bin, `#!/usr/bin/env bash
echo "$*" >> ${log}
case "$1" in
  version) exit ${opts.reachable ? 0 : 1} ;;
  config) echo fake-context ;;
  get) ${opts.secret ? `echo '{"BETTER_AUTH_SECRET":"eA==","DATABASE_URL":"eA==","OPENAI_API_KEY":"eA=="}'` : 'echo "Error from server (NotFound)" >&2; exit 1'} ;;
  *) exit 0 ;;
esac
`);
  chmodSync(bin, 0o755);
  return { bin, log };
}

const hasShellcheck = (() => {
  try {
    execFileSync('shellcheck', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('deploy scripts', () => {
  test.each(SCRIPTS)('%s passes shellcheck (or bash -n where shellcheck is missing)', (script) => {
    if (hasShellcheck) execFileSync('shellcheck', ['-x', script], { cwd: ROOT });
    else execFileSync('bash', ['-n', script], { cwd: ROOT });
  });

  test('deploy-local.sh --dry-run prints the checks and the commands, in order', async () => {
    const r = await run('scripts/deploy-local.sh', ['--dry-run']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('+ '));
    expect(lines).toEqual([
      '+ kubectl version --request-timeout=5s',
      '+ kubectl get secret todo-secrets --namespace todo',
      '+ npm run --silent plan -- --env local --set namespace=todo',
      '+ npm run --silent deploy -- --env local --set namespace=todo',
    ]);
  });

  test('smoke.sh --dry-run prints rollout, health and self-healing steps', async () => {
    const r = await run('scripts/smoke.sh', ['--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+ kubectl port-forward svc/todo-frontend 13000:3000 --namespace todo');
    expect(r.stdout).toContain('+ curl -fsS http://127.0.0.1:18000/health');
    expect(r.stdout).toContain('delete pod -l app.kubernetes.io/instance=todo,app.kubernetes.io/name=backend');
  });

  test.each(['scripts/deploy-local.sh', 'scripts/smoke.sh'])('%s fails fast without kubectl', async (script) => {
    const r = await run(script, [], { KUBECTL: '/nonexistent/kubectl' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: kubectl is not installed (looked for '/nonexistent/kubectl')");
  });

  test.each(['scripts/deploy-local.sh', 'scripts/smoke.sh'])('%s fails fast when the cluster is unreachable', async (script) => {
    const kubectl = fakeKubectl({ reachable: false, secret: true });
    const r = await run(script, [], { KUBECTL: kubectl.bin });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: the Kubernetes cluster of context 'fake-context' is not reachable");
  });

  test('deploy-local.sh stops before applying anything when the Secret is missing', async () => {
    const kubectl = fakeKubectl({ reachable: true, secret: false });
    const r = await run('scripts/deploy-local.sh', ['--skip-image-check'], { KUBECTL: kubectl.bin });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: Secret 'todo-secrets' is missing in namespace 'todo'");
    expect(readFileSync(kubectl.log, 'utf8')).not.toContain('apply');
  });

  test('deploy-local.sh plans, then deploys with npm run deploy, once every check passes', async () => {
    const kubectl = fakeKubectl({ reachable: true, secret: true });
    // A fake npm that logs its arguments; plan exits 2 (changes), which the script takes as information.
    const npmLog = join(tempDir(), 'npm.log');
    writeFileSync(join(kubectl.bin, '..', 'npm'), `#!/usr/bin/env bash\necho "$*" >> ${npmLog}\ncase "$*" in *" plan "*) exit 2 ;; esac\n`);
    chmodSync(join(kubectl.bin, '..', 'npm'), 0o755);
    const r = await run('scripts/deploy-local.sh', ['--skip-image-check'], { KUBECTL: kubectl.bin, PATH: `${join(kubectl.bin, '..')}:${process.env.PATH}` });
    expect(r.code).toBe(0);
    expect(readFileSync(npmLog, 'utf8').split('\n').filter(Boolean)).toEqual([
      'run --silent plan -- --env local --set namespace=todo',
      'run --silent deploy -- --env local --set namespace=todo',
    ]);
    expect(existsSync(kubectl.log) && readFileSync(kubectl.log, 'utf8')).not.toContain('apply');
  });
});
