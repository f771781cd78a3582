#!/usr/bin/env node
/**
 * The cluster's watchdog: `node watchdog.js <owner pid> <cluster dir>`. Started detached by the
 * harness (lib/cluster/cluster.ts) with every component's process group in
 * `<cluster dir>/pids`. When the owner process is gone, however it ended (a crashed test runner,
 * SIGKILL), it stops every component and removes the cluster's folder, then exits. The harness's
 * own stop() does the same and ends this watchdog first. A real node's host state (tier node) is
 * restored the same way as stop() restores it (host-state.js).
 */
'use strict';
const { existsSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { restore } = require('./host-state');

const [ownerArg, dir] = process.argv.slice(2);
const owner = Number(ownerArg);
if (!Number.isInteger(owner) || !dir) {
  process.stderr.write('usage: node watchdog.js <owner pid> <cluster dir>\n');
  process.exit(2);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function pids() {
  try {
    return readFileSync(join(dir, 'pids'), 'utf8').split('\n').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  } catch {
    return [];
  }
}

function signalAll(signal) {
  for (const pid of pids()) {
    try {
      process.kill(-pid, signal); // the component's process group
    } catch {
      // already gone
    }
  }
}

function teardown() {
  signalAll('SIGTERM');
  const deadline = Date.now() + 5000;
  const wait = () => {
    if (pids().some(alive) && Date.now() < deadline) return setTimeout(wait, 100);
    signalAll('SIGKILL');
    setTimeout(() => {
      // A real node's leftovers: what the harness's stop() would have restored.
      if (existsSync(join(dir, 'node', 'host-before.json'))) restore(join(dir, 'node'));
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }, 200);
    return undefined;
  };
  wait();
}

process.on('SIGTERM', () => process.exit(0)); // the owner stops the cluster itself
const timer = setInterval(() => {
  if (!existsSync(dir)) process.exit(0);
  if (!alive(owner)) {
    clearInterval(timer);
    teardown();
  }
}, 250);
