import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { repoRoot } from '../tools/repo-root';
import { ensureModuleBuilt } from './build';

/**
 * Images for the real node, packed from files into OCI archives by imagepack
 * (lib/cluster/go/nodetools) and imported into containerd: no registry, no Docker.
 *
 * A source is a Go module of the repository and a spec beside it in imagepack's format, where a
 * file is `go:<package>` (built from that module, cached like the cluster's binaries) or
 * `host:<path>` (a file of this machine, such as Debian's busybox), and `applets: <path>` links
 * every applet of that busybox into /bin.
 */
export interface ImageSource {
  /** The Go module's folder, relative to the repository. */
  readonly dir: string;
  /** The spec file, relative to the repository. */
  readonly spec: string;
}

interface SpecImage {
  readonly names: readonly string[];
  readonly files?: Record<string, string>;
  readonly symlinks?: Record<string, string>;
  readonly applets?: string;
  readonly [key: string]: unknown;
}

/** A spec as imagepack reads it: files resolved to paths on this machine. */
function resolveSpec(source: ImageSource, log: (line: string) => void): { images: object[] } {
  const spec = JSON.parse(readFileSync(join(repoRoot(), source.spec), 'utf8')) as { images: SpecImage[] };
  const packages = [...new Set(spec.images.flatMap((i) => Object.values(i.files ?? {}).filter((f) => f.startsWith('go:')).map((f) => f.slice(3))))];
  const built = packages.length ? ensureModuleBuilt({ dir: source.dir, packages, ownSource: true }, log) : '';
  return {
    images: spec.images.map(({ applets, ...image }) => {
      const files = Object.fromEntries(Object.entries(image.files ?? {}).map(([at, from]) => {
        if (from.startsWith('go:')) return [at, join(built, basename(from.slice(3)))];
        if (from.startsWith('host:')) return [at, from.slice(5)];
        throw new Error(`${source.spec}: ${at} must be go:<package> or host:<path>, got ${JSON.stringify(from)}`);
      }));
      const symlinks = { ...image.symlinks };
      if (applets) {
        const host = files[applets];
        const list = spawnSync(host, ['--list'], { encoding: 'utf8' });
        if (list.status !== 0) throw new Error(`${source.spec}: cannot list the applets of ${host}`);
        for (const applet of list.stdout.split('\n').filter(Boolean)) if (`/bin/${applet}` !== applets) symlinks[`/bin/${applet}`] = basename(applets);
      }
      return { ...image, files, symlinks };
    }),
  };
}

/** Packs an imagepack spec into an archive in `dir`; returns the archive's path. */
export function packImages(imagepack: string, name: string, spec: { images: object[] }, dir: string): string {
  const specFile = join(dir, `${name}.json`);
  const archive = join(dir, `${name}.tar`);
  writeFileSync(specFile, JSON.stringify(spec, null, 1));
  const r = spawnSync(imagepack, ['-spec', specFile, '-out', archive], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`imagepack ${name} failed: ${r.stderr || r.error}`);
  return archive;
}

/** Packs a source's images into an archive in `dir`. */
export function packSource(imagepack: string, source: ImageSource, dir: string, log: (line: string) => void): string {
  return packImages(imagepack, basename(source.dir), resolveSpec(source, log), dir);
}

/** The image names a source's spec declares (for `ctr` and the tests). */
export function sourceImageNames(source: ImageSource): string[] {
  return (JSON.parse(readFileSync(join(repoRoot(), source.spec), 'utf8')) as { images: SpecImage[] }).images.flatMap((i) => i.names);
}
