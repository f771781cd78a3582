import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runEntry, tempDir } from '../cli/support';

/**
 * lib/validate/kube-versions.json is what its generator writes from each version's OpenAPI
 * documents (it fetches the k8s.io/kubernetes modules from the Go module proxy, so it runs with
 * the cluster tests, which need Go, and not in npm test).
 */
test('the committed kube-versions.json is what npm run generate:kube-versions writes', async () => {
  const out = join(tempDir('todo-stack-kube-versions-'), 'kube-versions.json');
  const r = await runEntry('lib/validate/kube-versions-generate-main.ts', [out]);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(ROOT, 'lib', 'validate', 'kube-versions.json'), 'utf8'));
}, 600_000);
