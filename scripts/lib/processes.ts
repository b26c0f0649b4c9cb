import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';
import { SetupError } from './livekit-binary';

export type ManagedProcess = {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  /** The last lines it printed, for error reports. */
  tail(): string[];
  /** Resolves when a line matching `pattern` is printed; rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
};

/**
 * Starts a long-running child in its own process group, so stopping it also stops whatever it
 * spawned (Next's workers, the agent's job processes). Output lines go to `onLine` and/or a file.
 */
export function startProcess(opts: {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  onLine?: (line: string) => void;
  logFile?: string;
}): ManagedProcess {
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const file: WriteStream | null = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : null;
  const recent: string[] = [];
  const watchers = new Set<(line: string) => void>();
  const onLine = (line: string) => {
    recent.push(line);
    if (recent.length > 60) recent.shift();
    file?.write(`${line}\n`);
    opts.onLine?.(line);
    for (const w of watchers) w(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) readline.createInterface({ input: stream }).on('line', onLine);
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (error) => {
      onLine(`failed to start ${opts.command}: ${error.message}`);
      resolve('spawn-error');
    });
    child.once('exit', (code, signal) => {
      file?.end();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  let exitCode: number | string | undefined;
  void exited.then((c) => (exitCode = c));

  return {
    name: opts.name,
    child,
    exited,
    tail: () => [...recent],
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const done = (fn: () => void) => {
          clearTimeout(timer);
          watchers.delete(watch);
          fn();
        };
        const watch = (line: string) => pattern.test(line) && done(() => resolve(line));
        const timer = setTimeout(
          () => done(() => reject(new SetupError(`${opts.name} did not become ready within ${timeoutMs / 1000}s`))),
          timeoutMs,
        );
        const found = recent.find((l) => pattern.test(l));
        if (found) return done(() => resolve(found));
        watchers.add(watch);
        void exited.then((code) =>
          done(() => reject(new SetupError(`${opts.name} exited (${code}) before it was ready`))),
        );
      });
    },
    async stop(graceMs = 5000) {
      if (exitCode !== undefined || !child.pid) return;
      signalGroup(child.pid, 'SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!killed) signalGroup(child.pid, 'SIGKILL');
      await exited;
      // Children of the group may outlive the leader; make sure none are left behind.
      signalGroup(child.pid, 'SIGKILL');
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `url` answers (any HTTP status below 500). */
export async function waitForHttp(url: string, timeoutMs: number, isAlive?: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isAlive && !isAlive()) throw new SetupError(`gave up waiting for ${url}: the process exited`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(5000) }).then((r) => r.status < 500, () => false);
    if (ok) return;
    await sleep(200);
  }
  throw new SetupError(`${url} did not answer within ${timeoutMs / 1000}s`);
}

/** Fails with a message that names the port and what to do, instead of a bind error later. */
export async function assertTcpPortFree(port: number, what: string, envVar?: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  if (!free) {
    throw new SetupError(
      `Port ${port} (${what}) is already in use. Stop whatever holds it (\`ss -ltnp | grep :${port}\`)` +
        (envVar ? ` or choose another port with ${envVar}.` : '.'),
    );
  }
}

/** A TCP port that was free a moment ago (for tests, which run their own servers). */
export async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * An agent worker is ready once registered with LiveKit and, when it keeps warm job processes
 * (`AGENT_WARM_PROCESSES`, default 1; `warm` is the value it was given), once the first of them is
 * ready (its engines loaded, with `AGENT_WARM_ENGINES=on`). With 0 no job process starts before a session.
 */
export async function waitForAgentWorker(worker: ManagedProcess, warm: string | undefined, timeoutMs = 90_000): Promise<void> {
  await worker.waitForLine(/registered worker/, timeoutMs);
  if (warm?.trim() !== '0') await worker.waitForLine(/job process ready/, timeoutMs);
}
