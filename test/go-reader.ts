import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureKubectl } from '../lib/tools/helm-binaries';
import { runProcess, tempDir } from './cli/support';

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
  return readJsonStream(out);
}

/** Marks where one input ends in a batch: an object no chart writes. */
const boundary = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: todo-stack-go-reader-boundary-${i}\n`;

/**
 * Reads many YAML streams with one kubectl process (its start-up is most of a small read): the
 * streams are joined with a boundary object after each, and kubectl's output is cut there. If
 * Go cannot read the batch, each stream is read alone, so an error names its own stream.
 * An empty stream reads as no objects (alone, kubectl refuses it: "no objects passed").
 */
export async function readManyWithGo(yamlTexts: readonly string[]): Promise<GoReading[]> {
  if (yamlTexts.length === 0) return [];
  const file = join(tempDir('todo-stack-go-'), 'batch.yaml');
  writeFileSync(file, yamlTexts.map((text, i) => `${text.endsWith('\n') ? text : `${text}\n`}---\n${boundary(i)}---\n`).join(''));
  const r = await runProcess(ensureKubectl(), ['patch', '--local', '-f', file, '-p', '{}', '--type', 'merge', '-o', 'json']);
  if (r.code === 0) {
    const out: Array<Array<Record<string, unknown>>> = [[]];
    for (const o of readJsonStream(r.stdout)) {
      if (o.kind === 'ConfigMap' && (o.metadata as { name?: string } | undefined)?.name === `todo-stack-go-reader-boundary-${out.length - 1}`) out.push([]);
      else out[out.length - 1].push(o);
    }
    if (out.length === yamlTexts.length + 1) return out.slice(0, -1).map((objects) => ({ objects }));
  }
  return yamlTexts.map((text) => {
    try {
      return { objects: readWithGo(text) };
    } catch (e) {
      return { error: String((e as { stderr?: string }).stderr || (e as Error).message).trim() };
    }
  });
}

/** What Go made of one stream of a batch: its objects (none for an empty stream), or kubectl's error. */
export type GoReading = { readonly objects: Array<Record<string, unknown>> } | { readonly error: string };

/** kubectl prints one indented JSON object per document; a JSON string never holds a raw newline. */
function readJsonStream(out: string): Array<Record<string, unknown>> {
  return out.trim() ? out.trim().split(/\n}\n(?=\{)/).map((chunk, i, all) => JSON.parse(i < all.length - 1 ? `${chunk}\n}` : chunk)) : [];
}
