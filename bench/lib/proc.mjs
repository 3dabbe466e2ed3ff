// Linux /proc helpers: process trees, memory, CPU time, and a safe tree kill.
// All of it only ever touches the process we spawned and its descendants, identified by
// (pid, start time) so a recycled pid is never signalled.
import { readFileSync } from 'node:fs';

const PAGE_TICKS = 100; // USER_HZ (getconf CLK_TCK) on Linux

function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Parses /proc/<pid>/stat: { ppid, utime, stime, starttime } in clock ticks, or null. */
export function procStat(pid) {
  const s = read(`/proc/${pid}/stat`);
  if (s === null) return null;
  const rest = s.slice(s.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
  return {
    state: rest[0],
    ppid: Number(rest[1]),
    utime: Number(rest[11]),
    stime: Number(rest[12]),
    starttime: Number(rest[19]),
  };
}

/** Direct children of pid (threads spawn nothing in the processes we run; main task is enough). */
function children(pid) {
  const s = read(`/proc/${pid}/task/${pid}/children`);
  if (s === null) return [];
  const out = [];
  for (const p of s.trim().split(' ')) if (p !== '') out.push(Number(p));
  return out;
}

/** pid and all its descendants, each as { pid, starttime }. */
export function processTree(rootPid) {
  const out = [];
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop();
    const st = procStat(pid);
    if (st === null) continue;
    out.push({ pid, starttime: st.starttime });
    for (const c of children(pid)) stack.push(c);
  }
  return out;
}

/** VmRSS of one process in bytes (0 if gone). */
export function rssBytes(pid) {
  const s = read(`/proc/${pid}/status`);
  if (s === null) return 0;
  const m = /VmRSS:\s+(\d+) kB/.exec(s);
  return m ? Number(m[1]) * 1024 : 0;
}

/** PSS of one process in bytes (shared pages divided among their users), 0 if gone. */
export function pssBytes(pid) {
  const s = read(`/proc/${pid}/smaps_rollup`);
  if (s === null) return 0;
  const m = /\nPss:\s+(\d+) kB/.exec(s);
  return m ? Number(m[1]) * 1024 : 0;
}

/** Sum of utime+stime (seconds) over a set of processes. */
export function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const st = procStat(pid);
    if (st !== null) ticks += st.utime + st.stime;
  }
  return ticks / PAGE_TICKS;
}

export function memAvailableBytes() {
  const s = read('/proc/meminfo');
  const m = s && /MemAvailable:\s+(\d+) kB/.exec(s);
  return m ? Number(m[1]) * 1024 : Infinity;
}

function alive({ pid, starttime }) {
  const st = procStat(pid);
  return st !== null && st.starttime === starttime && st.state !== 'Z';
}

function signal(entry, sig) {
  if (!alive(entry)) return;
  try {
    process.kill(entry.pid, sig);
  } catch {
    /* already gone */
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops a spawned process and everything under it: SIGTERM to the root (gateways clean up their
 * own children), then SIGKILL to whatever is left of the tree snapshot after `graceMs`.
 * `known` lets the caller add descendants seen earlier (a child re-parented to init after its
 * parent died is no longer reachable from the root).
 */
export async function killTree(rootPid, { graceMs = 3000, known = [] } = {}) {
  const byPid = new Map();
  for (const e of [...known, ...processTree(rootPid)]) byPid.set(`${e.pid}:${e.starttime}`, e);
  const entries = [...byPid.values()];
  const root = entries.find((e) => e.pid === rootPid);
  if (root) signal(root, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && entries.some(alive)) {
    await sleep(50);
    for (const e of processTree(rootPid)) byPid.set(`${e.pid}:${e.starttime}`, e);
  }
  const all = [...byPid.values()];
  for (const e of all) signal(e, 'SIGKILL');
  const hardDeadline = Date.now() + 5000;
  while (Date.now() < hardDeadline && all.some(alive)) await sleep(50);
  return all.filter(alive).length; // 0 unless something refused to die
}

/** Whole-machine CPU time from /proc/stat, in seconds: { busy, total } (busy excludes idle+iowait). */
export function machineCpuSeconds() {
  const s = read('/proc/stat');
  if (s === null) return null;
  const f = s.slice(0, s.indexOf('\n')).trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((x, y) => x + y, 0);
  const idle = f[3] + f[4];
  return { busy: (total - idle) / PAGE_TICKS, total: total / PAGE_TICKS };
}
