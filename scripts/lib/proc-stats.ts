import { readdirSync, readFileSync } from 'node:fs';

/** rss counts shared pages (mmap'd model weights, libraries) in full in every process; pss splits them. */
export type ProcessMemory = { pid: number; command: string; rssMb: number; pssMb: number };

/**
 * Resident memory of a process and all its descendants (Linux /proc), largest first: the agent
 * worker, its job processes and what they start (the Whisper worker, decoders), including children
 * that run in process groups of their own.
 */
export function processTreeMemory(rootPid: number): ProcessMemory[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command: state ppid pgrp ...
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we were reading it.
    }
  }
  const inTree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!inTree.has(pid) && inTree.has(ppid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  const out: ProcessMemory[] = [];
  for (const pid of inTree) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim().slice(0, 80);
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const pssKb = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? rssKb);
      out.push({ pid, command, rssMb: rssKb / 1024, pssMb: pssKb / 1024 });
    } catch {
      // The process ended while we were reading it.
    }
  }
  return out.sort((a, b) => b.rssMb - a.rssMb);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}
