import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** A folder the synth owns completely: every file in it, and nothing else. */
export interface OutputTree {
  /** Folder, relative to the repository root (for example `dist/local` or `helm-wrapper`). */
  readonly dir: string;
  /** Path inside the folder -> content. */
  readonly files: ReadonlyMap<string, string>;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** The files (relative to root) whose content on disk differs from the trees: changed, missing or extra. */
export function staleFiles(root: string, trees: readonly OutputTree[]): string[] {
  const stale: string[] = [];
  for (const tree of trees) {
    const dir = resolve(root, tree.dir);
    const onDisk = new Set(listFiles(dir));
    for (const [path, content] of tree.files) {
      const full = join(dir, path);
      if (!onDisk.has(path)) stale.push(`${join(tree.dir, path)} (missing)`);
      else if (readFileSync(full, 'utf8') !== content) stale.push(`${join(tree.dir, path)} (differs)`);
      onDisk.delete(path);
    }
    for (const extra of onDisk) stale.push(`${join(tree.dir, extra)} (not generated)`);
  }
  return stale.sort();
}

/**
 * Replaces each tree's folder with exactly its files, all or nothing: every tree is written to a
 * temporary folder beside its target first; only when all are written are they swapped in.
 * If a swap fails, the folders already swapped are put back. A folder whose content is already
 * exactly right is left alone (no rewrite, mtimes kept). Returns the folders it replaced.
 */
export function writeTreesAtomically(root: string, allTrees: readonly OutputTree[]): string[] {
  const trees = allTrees.filter((tree) => staleFiles(root, [tree]).length > 0);
  const token = `${process.pid}-${Date.now()}`;
  const staged: Array<{ target: string; temp: string; backup: string }> = [];
  try {
    for (const tree of trees) {
      const target = resolve(root, tree.dir);
      const temp = `${target}.synth-tmp-${token}`;
      const backup = `${target}.synth-old-${token}`;
      staged.push({ target, temp, backup });
      mkdirSync(temp, { recursive: true });
      const made = new Set([temp]);
      for (const [path, content] of tree.files) {
        const full = join(temp, path);
        const dir = dirname(full);
        if (!made.has(dir)) {
          mkdirSync(dir, { recursive: true });
          made.add(dir);
        }
        writeFileSync(full, content);
      }
    }
  } catch (e) {
    for (const s of staged) rmSync(s.temp, { recursive: true, force: true });
    throw e;
  }
  try {
    for (const s of staged) {
      mkdirSync(dirname(s.target), { recursive: true });
      if (existsSync(s.target) && statSync(s.target).isDirectory()) renameSync(s.target, s.backup);
      renameSync(s.temp, s.target);
    }
  } catch (e) {
    for (const s of [...staged].reverse()) {
      if (!existsSync(s.backup)) continue;
      rmSync(s.target, { recursive: true, force: true });
      renameSync(s.backup, s.target);
    }
    for (const s of staged) rmSync(s.temp, { recursive: true, force: true });
    throw e;
  }
  for (const s of staged) rmSync(s.backup, { recursive: true, force: true });
  return trees.map((t) => t.dir);
}
