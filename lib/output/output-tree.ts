import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { isAlive } from '../tools/processes';

/** A folder the synth owns completely: every file in it, and nothing else. */
export interface OutputTree {
  /** Folder, relative to the repository root (for example `dist/local` or `helm-wrapper`). */
  readonly dir: string;
  /** Path inside the folder -> content. */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * Where a run stages its output and keeps its lock: `<root>/.synth-staging/`. It is outside every
 * output folder, so neither `--check` nor `npm run validate -- dist` ever sees a half-written
 * run, and it is git-ignored.
 */
export const STAGING_DIR = '.synth-staging';

/** Another synth holds the lock on this root, and did not let go in time. */
export class OutputBusyError extends Error {
  public constructor(public readonly lockFile: string, public readonly pid: number) {
    super(`another synth (pid ${pid}) is writing the output; wait for it to finish (lock: ${lockFile})`);
    this.name = 'OutputBusyError';
  }
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

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** writeFileSync, with the path on errors that Node reports without one (ENOSPC on write). */
function writeFile(path: string, content: string): void {
  try {
    writeFileSync(path, content);
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    if (error.path === undefined) error.path = path;
    throw e;
  }
}

/** One entry of a run's plan: the target folder and where its old and new content are staged. */
interface PlanEntry {
  readonly target: string;
  readonly next: string;
  readonly previous: string;
  /** Whether the target existed before the run: if not, undoing the run removes it. */
  readonly existed: boolean;
}

const PLAN = 'plan.json';

/**
 * Fault injection for the interruption tests: `TODO_STACK_KILL_AT=<point>` kills this process
 * with SIGKILL at that point of a write, the one signal no handler can defer.
 */
function killPoint(point: 'staged' | 'swapping' | 'committed'): void {
  if (process.env.TODO_STACK_KILL_AT === point) process.kill(process.pid, 'SIGKILL');
}
const COMMITTED = 'committed';

/**
 * Undoes what a killed run left: before its `committed` marker, every folder it moved aside is put
 * back (so the tree is exactly as before that run); after it, only its leftovers are removed.
 * Runs under the lock, so the run it cleans up is known to be dead.
 */
function recover(staging: string, token: string): void {
  const dir = join(staging, token);
  if (!existsSync(join(dir, COMMITTED)) && existsSync(join(dir, PLAN))) {
    let plan: PlanEntry[] = [];
    try {
      plan = JSON.parse(readFileSync(join(dir, PLAN), 'utf8')) as PlanEntry[];
    } catch {
      plan = []; // Killed while writing the plan: nothing was moved yet.
    }
    for (const entry of [...plan].reverse()) {
      if (existsSync(entry.previous)) {
        rmSync(entry.target, { recursive: true, force: true });
        renameSync(entry.previous, entry.target);
      } else if (!entry.existed && !existsSync(entry.next)) {
        rmSync(entry.target, { recursive: true, force: true });
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Options of {@link withOutputLock}. */
export interface LockOptions {
  /** How long to wait for another run's lock. @default 120000 */
  readonly waitMs?: number;
  /** Told once when this run starts waiting. */
  readonly onWait?: (pid: number) => void;
}

/**
 * Runs `body` holding the output lock of `root` (`<root>/.synth-staging/lock`): concurrent synths
 * take turns. A lock whose process is gone is taken over, and whatever that run left is first
 * undone (see {@link recover}).
 */
export function withOutputLock<T>(root: string, body: () => T, options: LockOptions = {}): T {
  const staging = resolve(root, STAGING_DIR);
  const lock = join(staging, 'lock');
  const deadline = Date.now() + (options.waitMs ?? 120_000);
  let told = false;
  for (;;) {
    mkdirSync(resolve(root), { recursive: true });
    try {
      mkdirSync(staging); // not recursive: Node reports a recursive mkdir's EROFS as ENOENT
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder: number;
    try {
      holder = Number(readFileSync(lock, 'utf8'));
    } catch {
      continue; // released between our open and our read
    }
    // A lock with a pid whose process is gone is stale: take it over. A lock with no pid yet
    // (holder 0 or NaN) belongs to a run between its open and its write: wait like for a live one.
    if (holder > 0 && holder !== process.pid && !isAlive(holder)) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new OutputBusyError(lock, holder);
    if (!told) options.onWait?.(holder);
    told = true;
    sleepSync(100);
  }
  try {
    for (const token of readdirSync(staging)) if (token !== 'lock') recover(staging, token);
    return body();
  } finally {
    try {
      unlinkSync(lock);
      rmdirSync(staging);
    } catch {
      // The staging folder still holds something (or is gone): leave it.
    }
  }
}

/**
 * Replaces each tree's folder with exactly its files, all or nothing, under the output lock.
 * Every tree is written into the staging folder first; the plan of the swap is recorded; then each
 * target is moved aside and its new content moved in; a `committed` marker ends the swap. A run
 * killed at any point is undone by the next one (see {@link recover}); a run that fails with an
 * error undoes itself. A folder whose content is already exactly right is left alone (no
 * rewrite, mtimes kept). Returns the folders it replaced.
 */
export function writeTreesAtomically(root: string, allTrees: readonly OutputTree[], options: LockOptions = {}): string[] {
  return withOutputLock(root, () => {
    const trees = allTrees.filter((tree) => staleFiles(root, [tree]).length > 0);
    if (!trees.length) return [];
    const run = join(resolve(root, STAGING_DIR), `${process.pid}-${Date.now()}`);
    const plan: PlanEntry[] = trees.map((tree, i) => ({
      target: resolve(root, tree.dir),
      next: join(run, 'next', String(i)),
      previous: join(run, 'previous', String(i)),
      existed: existsSync(resolve(root, tree.dir)),
    }));
    try {
      mkdirSync(join(run, 'previous'), { recursive: true });
      trees.forEach((tree, i) => {
        const made = new Set<string>();
        for (const [path, content] of tree.files) {
          const full = join(plan[i].next, path);
          const dir = dirname(full);
          if (!made.has(dir)) {
            mkdirSync(dir, { recursive: true });
            made.add(dir);
          }
          writeFile(full, content);
        }
      });
      writeFileSync(join(run, PLAN), JSON.stringify(plan));
      killPoint('staged');
      for (const entry of plan) {
        mkdirSync(dirname(entry.target), { recursive: true });
        if (existsSync(entry.target) && statSync(entry.target).isDirectory()) renameSync(entry.target, entry.previous);
        killPoint('swapping');
        renameSync(entry.next, entry.target);
      }
      writeFileSync(join(run, COMMITTED), '');
      killPoint('committed');
    } catch (e) {
      recover(dirname(run), relative(dirname(run), run));
      throw e;
    }
    rmSync(run, { recursive: true, force: true });
    return trees.map((t) => t.dir);
  }, options);
}
