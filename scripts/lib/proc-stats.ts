import { readdirSync, readFileSync } from 'node:fs';

/** rss counts shared pages (mmap'd model weights, libraries) in full in every process; pss splits them. */
export type ProcessMemory = { pid: number; command: string; rssMb: number; pssMb: number };

/** Resident memory of every process in a process group (Linux /proc), largest first. */
export function processGroupMemory(pgid: number): ProcessMemory[] {
  const out: ProcessMemory[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command: state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim().slice(0, 80);
      const rollup = readFileSync(`/proc/${entry}/smaps_rollup`, 'utf8');
      const pssKb = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? rssKb);
      out.push({ pid: Number(entry), command, rssMb: rssKb / 1024, pssMb: pssKb / 1024 });
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
