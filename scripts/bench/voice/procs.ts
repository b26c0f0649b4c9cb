// CPU time and peak memory of processes from Linux /proc, for `npm run bench:voice`.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** One process's line of /proc/<pid>/stat: own CPU ticks and those of its exited, reaped children. */
export type TProcStat = { pid: number; ppid: number; pgrp: number; comm: string; ownTicks: number; childTicks: number };

/** Parses /proc/<pid>/stat (the command may hold spaces and parentheses: fields follow the last ')'). */
export function parseProcStat(text: string): TProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // From field 3 (state) on: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
  const f = text.slice(close + 2).trim().split(/\s+/).map(Number);
  if (f.length < 15) return undefined;
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    ppid: f[1]!,
    pgrp: f[2]!,
    ownTicks: f[11]! + f[12]!,
    childTicks: f[13]! + f[14]!,
  };
}

/** CPU ticks of every process in process group `pgid`, with what their reaped children used. */
export function groupTicks(procs: Iterable<TProcStat>, pgid: number): number {
  let sum = 0;
  for (const p of procs) if (p.pgrp === pgid) sum += p.ownTicks + p.childTicks;
  return sum;
}

/** `root` and every process below it. */
export function treePids(procs: Iterable<TProcStat>, root: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const out = new Set<number>();
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    if (out.has(pid)) continue;
    out.add(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * CPU ticks a process tree used between two snapshots: each process's total now minus its total
 * then (0 for one started since). A child that ended in between is counted in its parent's
 * reaped-children ticks.
 */
export function treeTicksDelta(before: ReadonlyMap<number, TProcStat>, after: ReadonlyMap<number, TProcStat>, root: number): number {
  let sum = 0;
  for (const pid of treePids(after.values(), root)) {
    const now = after.get(pid);
    if (!now) continue;
    const then = before.get(pid);
    sum += now.ownTicks + now.childTicks - (then ? then.ownTicks + then.childTicks : 0);
  }
  return sum;
}

export type TCpuSnapshot = { at: number; procs: Map<number, TProcStat>; self: NodeJS.CpuUsage };

export function cpuSnapshot(): TCpuSnapshot {
  const procs = new Map<number, TProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (stat) procs.set(stat.pid, stat);
    } catch {
      // The process ended while we were reading it.
    }
  }
  return { at: Date.now(), procs, self: process.cpuUsage() };
}

let ticks: number | undefined;
/** USER_HZ, the unit of /proc CPU times (100 on Linux almost everywhere). */
export function clockTicksPerSecond(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** Peak resident memory (VmHWM) of a live process, in MB. */
export function peakRssMb(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/** The pid of the process whose command line contains `needle` (the stack's livekit-server: its config path). */
export function findProcess(needle: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && Number(entry) !== process.pid && commandLine(Number(entry)).includes(needle)) return Number(entry);
  }
  return undefined;
}

/** A short name for a process from its command line: the script for node/python, else the program. */
export function processLabel(cmdline: string): string {
  const args = cmdline.split(/\s+/).filter(Boolean);
  const base = (p: string | undefined) => (p ?? '').split('/').pop() ?? '';
  const program = base(args[0]);
  if (/^python/.test(program)) return `python ${base(args.find((a, i) => i > 0 && !a.startsWith('-')))}`.trim();
  if (program === 'node') {
    if (args.some((a) => a.includes('job_proc') || a.includes('ipc/'))) return 'node (job process)';
    return 'node';
  }
  if (program === 'sh' || program === 'bash') {
    const inner = args.slice(1).find((a) => a.startsWith('/') && !a.endsWith('/sh'));
    return inner ? `sh → ${base(inner)}` : program;
  }
  return program;
}
