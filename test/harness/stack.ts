import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, findRepoRoot, type DbHandle } from '@avatar-adam/db';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '@avatar-adam/db/embedded';
import { seedDemoData } from '@avatar-adam/db/seed';
import { readSeededSnapshot } from '@avatar-adam/db/testing';
import { buildAgentBundle } from '../../scripts/lib/agent-bundle';
import { ensureLivekitServer } from '../../scripts/lib/livekit-binary';
import { readLivekitKeys, startLivekitServer, writeLivekitConfig } from '../../scripts/lib/livekit-server';
import { freeTcpPort, type ManagedProcess, startProcess, waitForAgentWorker } from '../../scripts/lib/processes';
import { type TestRedis, startRedis } from './redis';

export type TestStack = {
  db: DbHandle['db'];
  seeded: Awaited<ReturnType<typeof seedDemoData>>;
  databaseUrl: string;
  livekit: { url: string; apiKey: string; apiSecret: string };
  agentName: string;
  agent: ManagedProcess;
  /** The agent worker's health server (agents-js), e.g. for the web app's health page. */
  agentHealthUrl: string;
  /** Registers one more worker process with the same server and name (scale-out tests); its log is `<name>.log`. */
  startAnotherWorker(name: string): Promise<TAgentWorker>;
  /** Set when started with `{ redis: true }`: the Redis livekit-server uses (SIP needs it). */
  redis?: TestRedis;
  workDir: string;
  logDir: string;
  stop(): Promise<void>;
};

const root = findRepoRoot();

/**
 * The real product stack for integration tests, on ports of its own: an embedded database served
 * over the wire, a livekit-server process and the agent worker process. Logs go to a temp folder
 * that is printed when something fails.
 */
export async function startTestStack(opts: { redis?: boolean; agentEnv?: Record<string, string> } = {}): Promise<TestStack> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-it-'));
  const logDir = path.join(workDir, 'logs');
  mkdirSync(logDir);
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    // AVATAR_ADAM_TEST_KEEP_LOGS=1 keeps the process logs for a look after the run.
    if (process.env.AVATAR_ADAM_TEST_KEEP_LOGS) process.stderr.write(`test stack logs kept in ${logDir}\n`);
    else rmSync(workDir, { recursive: true, force: true });
  };
  try {
    // Started side by side where they do not depend on each other: the database and livekit-server
    // (with its Redis), then the job worker and the agent worker. One after another they took ~16 s.
    const database = (async () => {
      const snapshot = readSeededSnapshot();
      const embedded: EmbeddedDatabase = await startEmbeddedDatabase({ dataDir: 'memory', port: 0, loadDataDir: snapshot?.data });
      cleanups.push(() => embedded.close());
      const handle = await createDb({ url: embedded.url });
      cleanups.push(() => handle.close());
      const seeded = snapshot?.seeded ?? (await seedDemoData({ db: handle.db }));
      return { embedded, handle, seeded };
    })();
    const livekitServer = (async () => {
      let redis: TestRedis | undefined;
      if (opts.redis) {
        const started = await startRedis();
        redis = started;
        cleanups.push(() => started.stop());
      }
      const bin = await ensureLivekitServer(() => {});
      const ports = { http: await freeTcpPort(), rtcTcp: await freeTcpPort(), rtcUdp: await freeTcpPort() };
      const configFile = writeLivekitConfig(root, workDir, ports, { redisAddress: redis ? `127.0.0.1:${redis.port}` : undefined });
      const server = await startLivekitServer({ bin, configFile, httpPort: ports.http, logFile: path.join(logDir, 'livekit.log') });
      cleanups.push(() => server.stop());
      return { redis, livekit: { url: `ws://127.0.0.1:${ports.http}`, ...readLivekitKeys(configFile) } };
    })();
    const [{ embedded, handle, seeded }, { redis, livekit }] = await allStarted([database, livekitServer]);

    const agentName = 'avatar-adam';
    const startWorker = async (name: string) => {
      const worker = await startAgentWorker({ name, databaseUrl: embedded.url, livekit, agentName, logDir, env: opts.agentEnv });
      cleanups.push(() => worker.process.stop());
      return worker;
    };
    const [jobs, first] = await allStarted([startJobWorker({ databaseUrl: embedded.url, logDir, env: opts.agentEnv }), startWorker('agent')]);
    cleanups.push(() => jobs.stop());
    const agent = first.process;
    const agentHttpPort = first.httpPort;
    const agentHealthUrl = `http://127.0.0.1:${agentHttpPort}`;
    return {
      db: handle.db,
      seeded,
      databaseUrl: embedded.url,
      livekit,
      agentName,
      agent,
      agentHealthUrl,
      startAnotherWorker: (name: string) => startWorker(name),
      redis,
      workDir,
      logDir,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Waits for all of them even when one fails, so that whatever did start has registered its cleanup
 * before the error reaches the caller's stop().
 */
async function allStarted<T extends readonly unknown[]>(starting: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(starting);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** The stack's own kept greetings, shared by its job worker and agent workers, as on one production host. */
const stackGreetingDir = (logDir: string) => path.join(path.dirname(logDir), 'greeting-audio');

/** The job worker (`npm run jobs`): indexing, scoring and email from the durable queue. */
export async function startJobWorker(opts: { databaseUrl: string; logDir: string; env?: Record<string, string> }): Promise<ManagedProcess> {
  const jobs = startProcess({
    name: 'jobs',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(root, 'agent', 'src', 'jobs', 'worker-main.ts')],
    cwd: path.join(root, 'agent'),
    // Its metrics on a free port, so tests run beside `npm run dev` (which holds 9465).
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      LOG_LEVEL: 'debug',
      JOBS_METRICS_PORT: String(await freeTcpPort()),
      AGENT_GREETING_CACHE_DIR: stackGreetingDir(opts.logDir),
      ...opts.env,
    },
    logFile: path.join(opts.logDir, 'jobs.log'),
  });
  try {
    await jobs.waitForLine(/job worker ready/, 60_000);
  } catch (error) {
    await jobs.stop();
    throw error;
  }
  return jobs;
}

export type TAgentWorker = { process: ManagedProcess; httpPort: number; logFile: string };

/** One agent worker process (the bundled `agent/dist/main.mjs start`, as in production), registered and with its warm job processes loaded. */
export async function startAgentWorker(opts: {
  name: string;
  databaseUrl: string;
  livekit: { url: string; apiKey: string; apiSecret: string };
  agentName: string;
  logDir: string;
  env?: Record<string, string>;
}): Promise<TAgentWorker> {
  const httpPort = await freeTcpPort();
  const logFile = path.join(opts.logDir, `${opts.name}.log`);
  const { file: bundle } = await buildAgentBundle();
  const worker = startProcess({
    name: opts.name,
    command: process.execPath,
    args: [bundle, 'start'],
    cwd: path.join(root, 'agent'),
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      LIVEKIT_URL: opts.livekit.url,
      LIVEKIT_API_KEY: opts.livekit.apiKey,
      LIVEKIT_API_SECRET: opts.livekit.apiSecret,
      AGENT_NAME: opts.agentName,
      // Its own health-check port, so tests run beside `npm run dev` (which holds 8081).
      AGENT_HTTP_PORT: String(httpPort),
      // Metrics off unless a test asks for them (its own port in `env`): 9464 would clash.
      AGENT_METRICS_PORT: '0',
      AGENT_GREETING_CACHE_DIR: stackGreetingDir(opts.logDir),
      LOG_LEVEL: 'debug',
      ...opts.env,
    },
    logFile,
  });
  try {
    await waitForAgentWorker(worker, opts.env?.AGENT_WARM_PROCESSES ?? process.env.AGENT_WARM_PROCESSES);
  } catch (error) {
    await worker.stop();
    throw error;
  }
  return { process: worker, httpPort, logFile };
}
