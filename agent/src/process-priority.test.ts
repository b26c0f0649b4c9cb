import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forkJobProcessesAtIdlePriority } from './process-priority';

let dir: string;
let script: string;
const children: Array<ReturnType<typeof fork>> = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'priority-test-'));
  script = path.join(dir, 'idle.cjs');
  writeFileSync(script, 'setTimeout(() => {}, 10_000);\n');
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Forks through the ESM named import, as agents-js's process pool does. */
const forkChild = () => {
  const child = fork(script, [], { stdio: 'ignore' });
  children.push(child);
  return child;
};

describe('forkJobProcessesAtIdlePriority', () => {
  it('keeps the initial pool at normal priority, lowers every later process as it is forked, and undoes cleanly', () => {
    const normal = os.getPriority();
    const undo = forkJobProcessesAtIdlePriority(2);
    try {
      expect(os.getPriority(forkChild().pid)).toBe(normal);
      expect(os.getPriority(forkChild().pid)).toBe(normal);
      expect(os.getPriority(forkChild().pid)).toBe(10);
      expect(os.getPriority(forkChild().pid)).toBe(10);
    } finally {
      undo();
    }
    expect(os.getPriority(forkChild().pid)).toBe(normal);
  });
});
