#!/usr/bin/env node
/**
 * The host state a real node touches (SPEC S10, tier node), and how to put it back.
 *
 *   node host-state.js snapshot [file|-]   what is there now, as JSON
 *   node host-state.js restore <node dir>  undo everything that is new since <node dir>/host-before.json
 *
 * A kubelet, containerd and the node's add-ons leave processes, mounts, cgroups, iptables rules
 * and chains, ipsets, network links, fixed paths and sysctls behind them. Teardown does not
 * guess what they made: it takes a snapshot before the node starts and, after the processes are
 * stopped, removes exactly what is new and restores what changed. The harness's stop() and the
 * watchdog (when the owner died) both run `restore`, which then releases the node's claim on the
 * machine (NODE_LOCK); the teardown test compares snapshots.
 * Plain CommonJS, like watchdog.js, so the watchdog runs it without a build step.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

/** The machine-wide claim on the one real node: JSON with the owner's pid and the cluster folder. */
const NODE_LOCK = '/run/todo-stack-node.lock';
/** Paths the node's components use whatever their flags say (../shared/notes/real-node.md). */
const FIXED_PATHS = [
  '/var/lib/kubelet', '/var/log/containers', '/var/log/pods', '/var/lib/cni', '/etc/cni', '/opt/cni',
  '/run/containerd', '/var/lib/containerd', '/run/nri', '/run/netns', '/run/xtables.lock', '/var/run/kubernetes',
];
/** Where the node's mounts live: its own folder (added at restore), netns handles, the fixed paths. */
const MOUNT_ROOTS = ['/run/netns', '/var/lib/kubelet', '/run/containerd', '/var/lib/containerd', '/run/nri'];
/** The sysctls the kubelet, kube-proxy, CNI and the harness may set. */
const SYSCTLS = [
  'net/ipv4/ip_forward', 'net/ipv4/conf/all/route_localnet', 'net/bridge/bridge-nf-call-iptables', 'net/bridge/bridge-nf-call-ip6tables',
  'net/netfilter/nf_conntrack_max', 'net/netfilter/nf_conntrack_tcp_timeout_established', 'net/netfilter/nf_conntrack_tcp_timeout_close_wait',
  'vm/overcommit_memory', 'vm/panic_on_oom', 'kernel/panic', 'kernel/panic_on_oops', 'kernel/keys/root_maxkeys', 'kernel/keys/root_maxbytes',
];
/** Commands of the node; a process running one of these after teardown is a leak. */
const COMMANDS = ['kubelet', 'kube-proxy', 'containerd', 'containerd-shim-runc-v2', 'kube-router', 'coredns', 'metrics-server', 'pause', 'standin'];
const IPTABLES = ['iptables', 'ip6tables'];
const TABLES = ['filter', 'nat', 'mangle', 'raw'];

function run(file, args, input) {
  const r = spawnSync(file, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  return { code: r.error ? 127 : r.status, stdout: r.stdout || '', stderr: r.stderr || String(r.error || '') };
}

function read(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** iptables-save per table: the chains, and the rules as `-A ...` lines. */
function iptablesOf(cmd) {
  const out = {};
  for (const table of TABLES) {
    const r = run(`${cmd}-save`, ['-t', table]);
    if (r.code !== 0) continue;
    const chains = [];
    const rules = [];
    for (const line of r.stdout.split('\n')) {
      if (line.startsWith(':')) chains.push(line.slice(1).split(' ')[0]);
      else if (line.startsWith('-A ')) rules.push(line);
    }
    out[table] = { chains, rules };
  }
  return out;
}

/** cgroup folders below each controller's root, two levels deep (kubepods, kubepods/burstable, ...). */
function cgroups() {
  const out = [];
  const base = '/sys/fs/cgroup';
  let controllers = [];
  try {
    controllers = readdirSync(base).filter((c) => statSync(join(base, c)).isDirectory());
  } catch {
    return out;
  }
  for (const c of controllers) {
    for (const d of subdirs(join(base, c))) {
      out.push(d);
      for (const e of subdirs(d)) out.push(e);
    }
  }
  return out.sort();
}

function subdirs(dir) {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

function mounts() {
  return (read('/proc/self/mountinfo') || '').split('\n').map((l) => l.split(' ')[4]).filter(Boolean).map((p) => p.replace(/\\040/g, ' '));
}

/** The node's processes: any live process whose command is one of COMMANDS (a zombie is dead, awaiting its parent). */
function processes() {
  const out = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    const comm = read(`/proc/${pid}/comm`);
    const state = (read(`/proc/${pid}/stat`) || '').replace(/^.*\) /, '')[0];
    if (comm && COMMANDS.includes(comm) && state !== 'Z') out.push(`${comm}[${pid}]`);
  }
  return out.sort();
}

function snapshot() {
  const sysctls = {};
  for (const s of SYSCTLS) sysctls[s] = read(`/proc/sys/${s}`);
  const links = run('ip', ['-o', 'link', 'show']).stdout.split('\n').map((l) => (l.split(': ')[1] || '').split('@')[0]).filter(Boolean).sort();
  const ipsets = run('ipset', ['list', '-n']).stdout.split('\n').filter(Boolean).sort();
  const paths = FIXED_PATHS.filter((p) => existsSync(p));
  return { processes: processes(), mounts: mounts(), cgroups: cgroups(), iptables: Object.fromEntries(IPTABLES.map((c) => [c, iptablesOf(c)])), ipsets, links, sysctls, paths };
}

/** What differs between two snapshots, one line per thing: empty when the host is as it was. */
function difference(before, after) {
  const out = [];
  const added = (what, a, b) => {
    for (const x of b) if (!a.includes(x)) out.push(`${what} left behind: ${x}`);
  };
  added('process', [], after.processes.filter((p) => !before.processes.includes(p)));
  added('mount', before.mounts, after.mounts);
  added('cgroup', before.cgroups, after.cgroups);
  added('ipset', before.ipsets, after.ipsets);
  added('network link', before.links, after.links);
  added('path', before.paths, after.paths);
  for (const cmd of IPTABLES) {
    for (const table of Object.keys(after.iptables[cmd] || {})) {
      const a = before.iptables[cmd]?.[table] || { chains: [], rules: [] };
      added(`${cmd} ${table} chain`, a.chains, after.iptables[cmd][table].chains);
      added(`${cmd} ${table} rule`, a.rules, after.iptables[cmd][table].rules);
    }
  }
  for (const [k, v] of Object.entries(before.sysctls)) if (after.sysctls[k] !== v) out.push(`sysctl ${k} is ${after.sysctls[k]}, was ${v}`);
  return out;
}

/** Kills every process in the cgroups that are new (the pods' containers and sandboxes). */
function killNewCgroupProcesses(before, now) {
  for (const dir of now.cgroups.filter((d) => !before.cgroups.includes(d))) {
    for (const pid of walk(dir).flatMap((d) => (read(join(d, 'cgroup.procs')) || '').split('\n').filter(Boolean))) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

/** A folder and every folder below it, deepest first. */
function walk(dir) {
  const out = [];
  for (const d of subdirs(dir)) out.push(...walk(d));
  out.push(dir);
  return out;
}

function removeIptables(before, now, log) {
  for (const cmd of IPTABLES) {
    for (const table of Object.keys(now.iptables[cmd] || {})) {
      const a = before.iptables[cmd]?.[table] || { chains: [], rules: [] };
      const b = now.iptables[cmd][table];
      const newChains = b.chains.filter((c) => !a.chains.includes(c));
      const newRules = b.rules.filter((r) => !a.rules.includes(r) && !newChains.includes(r.split(' ')[1]));
      if (!newChains.length && !newRules.length) continue;
      const script = [`*${table}`, ...newRules.map((r) => `-D${r.slice(2)}`), ...newChains.map((c) => `-F ${c}`), ...newChains.map((c) => `-X ${c}`), 'COMMIT', ''].join('\n');
      const r = run(`${cmd}-restore`, ['--noflush', '-w', '10'], script);
      if (r.code !== 0) log(`${cmd}-restore (${table}) failed: ${r.stderr.trim()}`);
    }
  }
}

/**
 * Undoes what is new since the snapshot in <node dir>/host-before.json. The node's processes must
 * be stopped first (their process groups); this kills what they leave (shims, containers).
 */
function restore(nodeDir, log = (line) => process.stderr.write(`${line}\n`)) {
  const file = join(nodeDir, 'host-before.json');
  if (!existsSync(file)) return [];
  const before = JSON.parse(readFileSync(file, 'utf8'));
  const bin = JSON.parse(read(join(nodeDir, 'binaries.json')) || '[]');
  // Shims daemonize out of containerd's process group: find them by their binary.
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let exe;
    try {
      exe = readlinkSync(`/proc/${pid}/exe`);
    } catch {
      continue;
    }
    if (bin.includes(exe)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  let now = snapshot();
  killNewCgroupProcesses(before, now);
  spawnSync('sleep', ['0.3']);
  // Mounts: the node folder's and the fixed roots', deepest first, lazily.
  const roots = [...MOUNT_ROOTS, nodeDir];
  const newMounts = now.mounts.filter((m) => !before.mounts.includes(m) && roots.some((r) => m === r || m.startsWith(`${r}/`)));
  for (const m of [...new Set(newMounts)].sort((x, y) => y.length - x.length)) {
    const r = run('umount', ['-l', m]);
    if (r.code !== 0 && !/not mounted/.test(r.stderr)) log(`umount ${m}: ${r.stderr.trim()}`);
  }
  now = snapshot();
  removeIptables(before, now, log);
  for (const set of now.ipsets.filter((s) => !before.ipsets.includes(s))) {
    const r = run('ipset', ['destroy', set]);
    if (r.code !== 0) log(`ipset destroy ${set}: ${r.stderr.trim()}`);
  }
  for (const link of now.links.filter((l) => !before.links.includes(l))) run('ip', ['link', 'delete', link]);
  for (const dir of now.cgroups.filter((d) => !before.cgroups.includes(d)).sort((x, y) => y.length - x.length)) {
    for (const d of walk(dir)) {
      try {
        rmdirSync(d);
      } catch (e) {
        if (e.code !== 'ENOENT') log(`rmdir ${d}: ${e.code}`);
      }
    }
  }
  for (const p of FIXED_PATHS.filter((p) => existsSync(p) && !before.paths.includes(p))) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch (e) {
      log(`rm ${p}: ${e.code}`);
    }
  }
  for (const [k, v] of Object.entries(before.sysctls)) {
    if (v !== undefined && read(`/proc/sys/${k}`) !== v) {
      try {
        writeFileSync(`/proc/sys/${k}`, v);
      } catch (e) {
        log(`sysctl ${k}=${v}: ${e.code}`);
      }
    }
  }
  const left = difference(before, snapshot());
  for (const line of left) log(`teardown: ${line}`);
  try {
    if (JSON.parse(readFileSync(NODE_LOCK, 'utf8')).dir === join(nodeDir, '..')) rmSync(NODE_LOCK, { force: true });
  } catch {
    // no claim, or another node's
  }
  return left;
}

module.exports = { snapshot, difference, restore, NODE_LOCK };

if (require.main === module) {
  const [command, arg] = process.argv.slice(2);
  if (command === 'snapshot') {
    const json = `${JSON.stringify(snapshot(), null, 1)}\n`;
    if (!arg || arg === '-') process.stdout.write(json);
    else writeFileSync(arg, json);
  } else if (command === 'restore' && arg) {
    process.exit(restore(arg).length ? 1 : 0);
  } else {
    process.stderr.write('usage: node host-state.js snapshot [file|-] | restore <node dir>\n');
    process.exit(2);
  }
}
