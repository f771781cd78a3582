import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureKubectl } from '../lib/tools/helm-binaries';
import { tempDir } from './cli/support';

/**
 * Reads YAML the way kubectl and Helm do (sigs.k8s.io/yaml over go-yaml), with kubectl 1.33 and
 * no cluster: `kubectl patch --local -f FILE -p {} -o json` reads every document of the file and
 * prints it back as JSON. Each document must be a Kubernetes object (apiVersion, kind,
 * metadata.name). Throws with kubectl's message if Go cannot read the file.
 */
export function readWithGo(yamlText: string): Array<Record<string, unknown>> {
  const file = join(tempDir('todo-stack-go-'), 'input.yaml');
  writeFileSync(file, yamlText);
  const out = execFileSync(ensureKubectl(), ['patch', '--local', '-f', file, '-p', '{}', '--type', 'merge', '-o', 'json'], {
    encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'],
  });
  // kubectl prints one indented JSON object per document; a JSON string never holds a raw newline.
  return out.trim() ? out.trim().split(/\n}\n(?=\{)/).map((chunk, i, all) => JSON.parse(i < all.length - 1 ? `${chunk}\n}` : chunk)) : [];
}
