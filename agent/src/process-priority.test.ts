import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forkAtNormalPriority, forkJobProcessesAtIdlePriority, restoreNormalPriority } from './process-priority';

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
      // The shared voice is no job process: it is forked at normal priority, and is not counted.
      const voice = forkAtNormalPriority(script, [], { stdio: 'ignore' });
      children.push(voice);
      expect(os.getPriority(voice.pid)).toBe(normal);
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

  it('lowers every thread of the process, not only the calling one', async () => {
    const probe = path.join(dir, 'finishing-threads.mts');
    writeFileSync(
      probe,
      [
        `import { lowerPriorityWhileFinishing } from ${JSON.stringify(path.resolve(__dirname, 'process-priority.ts'))};`,
        THREAD_NICENESS,
        `lowerPriorityWhileFinishing();`,
        `process.stdout.write(JSON.stringify(threadNiceness()));`,
      ].join('\n'),
    );
    const { execFileSync } = await import('node:child_process');
    const threads = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', probe], { cwd: path.resolve(__dirname, '..') }).toString()) as number[];
    expect(threads.length).toBeGreaterThan(3);
    expect(new Set(threads)).toEqual(new Set([10]));
  });
});

/** Source of a `threadNiceness()` for a probe: the niceness of each of its threads, from /proc. */
const THREAD_NICENESS = [
  `import { readdirSync, readFileSync } from 'node:fs';`,
  `const threadNiceness = () => readdirSync('/proc/self/task').map((tid) => {`,
  `  const stat = readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');`,
  `  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);`,
  `});`,
].join('\n');

// Raising a niceness needs CAP_SYS_NICE (root has it; CI runs as root).
describe.skipIf(process.platform !== 'linux' || process.getuid?.() !== 0)('restoreNormalPriority', () => {
  it('brings every thread of a job process forked at idle priority back to normal, not only the calling one', async () => {
    const probe = path.join(dir, 'restore.mts');
    writeFileSync(
      probe,
      [
        `import { restoreNormalPriority } from ${JSON.stringify(path.resolve(__dirname, 'process-priority.ts'))};`,
        THREAD_NICENESS,
        // Threads created while the process waits at idle priority, as a warm job process's are.
        `await Promise.all([1, 2, 3, 4].map(() => import('node:crypto').then((c) => new Promise((r) => c.pbkdf2('a', 'b', 1000, 32, 'sha256', r)))));`,
        `const before = threadNiceness();`,
        `restoreNormalPriority();`,
        `process.stdout.write(JSON.stringify({ before, after: threadNiceness() }));`,
      ].join('\n'),
    );
    // Forked as the supervisor forks a later job process: lowered the moment it exists.
    const child = fork(probe, [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: ['--import', 'tsx'], cwd: path.resolve(__dirname, '..') });
    children.push(child);
    os.setPriority(child.pid!, 10);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((resolve) => child.on('exit', resolve));
    const { before, after } = JSON.parse(out) as { before: number[]; after: number[] };
    expect(before.filter((n) => n === 10).length).toBeGreaterThan(3);
    expect(new Set(after)).toEqual(new Set([0]));
    expect(after.length).toBeGreaterThanOrEqual(before.length);
  });
});
