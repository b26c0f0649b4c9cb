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

describe('lowerPriorityWhileFinishing', () => {
  it('puts a finishing job process at idle priority, and children it starts afterwards inherit it', async () => {
    // In a child of its own: the test process keeps its priority.
    const probe = path.join(dir, 'finishing.mts');
    writeFileSync(
      probe,
      [
        `import os from 'node:os';`,
        `import { execFileSync } from 'node:child_process';`,
        `import { lowerPriorityWhileFinishing } from ${JSON.stringify(path.resolve(__dirname, 'process-priority.ts'))};`,
        `const before = os.getPriority();`,
        `lowerPriorityWhileFinishing();`,
        `lowerPriorityWhileFinishing(); // twice: stays where it is`,
        `const child = Number(execFileSync('sh', ['-c', 'ps -o ni= -p $$']).toString().trim());`,
        `process.stdout.write(JSON.stringify({ before, after: os.getPriority(), child }));`,
      ].join('\n'),
    );
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, ['--import', 'tsx', probe], { cwd: path.resolve(__dirname, '..') }).toString();
    expect(JSON.parse(out)).toEqual({ before: os.getPriority(), after: 10, child: 10 });
  });
});
