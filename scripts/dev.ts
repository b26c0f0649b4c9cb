// `npm run dev`: the whole product on this machine — embedded database, livekit-server, the agent
// worker and the web app — with one command, stopped cleanly with Ctrl-C.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createDb, findRepoRoot, migrate } from '@avatar-adam/db';
import { sql } from 'drizzle-orm';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '@avatar-adam/db/embedded';
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from '@avatar-adam/db/seed';
import { buildAgentBundle } from './lib/agent-bundle';
import { loadDevConfig } from './lib/dev-config';
import { ensureLivekitServer, SetupError } from './lib/livekit-binary';
import { ensureLocalModels } from './lib/local-models';
import { readLivekitKeys, startLivekitServer, writeLivekitConfig } from './lib/livekit-server';
import { ensureLivekitSip } from './lib/sip-binary';
import { startSipBridge } from './lib/sip-bridge';
import { assertTcpPortFree, type ManagedProcess, startProcess, waitForAgentWorker, waitForHttp } from './lib/processes';
import { loadOrCreateSecret } from './lib/secrets';

const root = findRepoRoot();
const dataDir = path.join(root, '.data');
const logDir = path.join(dataDir, 'logs');
const started = Date.now();
const processes: ManagedProcess[] = [];
let embedded: EmbeddedDatabase | null = null;
let stopping = false;

const say = (line: string) => process.stdout.write(`${line}\n`);
const prefixed = (name: string) => (line: string) => process.stdout.write(`[${name}] ${line}\n`);
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  await Promise.all(processes.map((p) => p.stop()));
  await embedded?.close().catch(() => {});
  process.exit(code);
}

async function main() {
  const config = loadDevConfig(process.env);
  mkdirSync(logDir, { recursive: true });

  await assertTcpPortFree(config.webPort, 'web app', 'WEB_PORT');
  if (!config.databaseUrl) await assertTcpPortFree(config.embeddedDbPort, 'embedded database', 'EMBEDDED_DB_PORT');
  if (!config.livekitUrl) await assertTcpPortFree(7880, 'livekit-server; see livekit.yaml');
  // The agent worker's and the job worker's Prometheus endpoints (0 turns one off).
  for (const [name, fallback, what] of [['AGENT_METRICS_PORT', 9464, 'agent metrics'], ['JOBS_METRICS_PORT', 9465, 'job worker metrics']] as const) {
    const port = Number(process.env[name] ?? fallback);
    if (port > 0) await assertTcpPortFree(port, what, name);
  }

  // Database first: everything else needs it, and a bad DATABASE_URL should stop us early.
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase({ dataDir, port: config.embeddedDbPort });
    databaseUrl = embedded.url;
  }
  const handle = await createDb({ url: databaseUrl });
  await migrate(handle);
  await seedDemoData({ db: handle.db });
  // PGlite has no autovacuum, so the planner never gets statistics on its own; without them a
  // history page over a few thousand sessions plans 100× slower. Cheap at this size.
  if (embedded) await handle.db.execute(sql`analyze`);
  await handle.close();
  say(`database ready (${embedded ? `embedded PGlite in .data/pglite, served on port ${config.embeddedDbPort}` : 'DATABASE_URL'}) at ${elapsed()}`);

  const redisAddress = config.phonePractice && !config.livekitUrl ? await startDevRedis(config.redisPort) : undefined;
  let livekit = { url: config.livekitUrl, apiKey: config.livekitApiKey, apiSecret: config.livekitApiSecret };
  if (!livekit.url) {
    const bin = await ensureLivekitServer(say);
    // With phone practice the server needs Redis, so it runs on a copy of livekit.yaml with it on.
    const configFile = redisAddress
      ? writeLivekitConfig(root, dataDir, { http: 7880, rtcTcp: 7881, rtcUdp: 7882 }, { redisAddress })
      : path.join(root, 'livekit.yaml');
    const server = await startLivekitServer({ bin, configFile, httpPort: 7880, logFile: path.join(logDir, 'livekit.log') });
    processes.push(server);
    livekit = { url: 'ws://127.0.0.1:7880', ...readLivekitKeys(configFile) };
    say(`livekit-server ready on ws://127.0.0.1:7880 (log: .data/logs/livekit.log) at ${elapsed()}`);
  }

  if (config.phonePractice && !redisAddress) {
    say('PHONE_PRACTICE=1 is ignored with LIVEKIT_URL set: run livekit-sip next to that server (see README, Phone practice).');
  }
  const phoneEnv: Record<string, string> =
    redisAddress && livekit.url ? await startDevSipBridge({ ...livekit, url: livekit.url }, redisAddress, config.sipPort) : {};

  await ensureLocalModels(root, say);

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    LIVEKIT_URL: livekit.url,
    LIVEKIT_API_KEY: livekit.apiKey,
    LIVEKIT_API_SECRET: livekit.apiSecret,
    NEXTAUTH_SECRET: config.nextAuthSecret ?? loadOrCreateSecret(path.join(dataDir, 'nextauth-secret')),
    NEXTAUTH_URL: config.nextAuthUrl ?? `http://localhost:${config.webPort}`,
    PORT: String(config.webPort),
    ...phoneEnv,
  };
  const { file: agentBundle } = await buildAgentBundle();
  const agent = startProcess({
    name: 'agent',
    command: process.execPath,
    args: [agentBundle, 'start'],
    cwd: path.join(root, 'agent'),
    env: childEnv,
    onLine: prefixed('agent'),
    logFile: path.join(logDir, 'agent.log'),
  });
  // The job worker (document indexing, scoring, email from the durable queue): its own process,
  // under tsx, because it forks its indexing process from TypeScript sources.
  const jobs = startProcess({
    name: 'jobs',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(root, 'agent', 'src', 'jobs', 'worker-main.ts')],
    cwd: path.join(root, 'agent'),
    env: childEnv,
    onLine: prefixed('jobs'),
    logFile: path.join(logDir, 'jobs.log'),
  });
  const web = startProcess({
    name: 'web',
    command: path.join(root, 'node_modules', '.bin', 'next'),
    args: ['dev', '--port', String(config.webPort)],
    cwd: path.join(root, 'web'),
    env: childEnv,
    onLine: prefixed('web'),
    logFile: path.join(logDir, 'web.log'),
  });
  processes.push(agent, jobs, web);
  for (const p of [agent, jobs, web]) {
    void p.exited.then((code) => {
      if (stopping) return;
      say(`${p.name} exited unexpectedly (${code}); stopping everything. Last lines:\n${p.tail().slice(-20).join('\n')}`);
      void shutdown(1);
    });
  }

  const webUrl = `http://localhost:${config.webPort}`;
  await Promise.all([
    // Registered, and a warm job process is ready: the first session does not wait for one to start.
    waitForAgentWorker(agent, process.env.AGENT_WARM_PROCESSES),
    jobs.waitForLine(/job worker ready/, 60_000),
    // The first request of each route compiles it; doing it here means the user's first clicks are fast.
    waitForHttp(`${webUrl}/sign-in`, 120_000).then(() =>
      Promise.all(['/practice', '/api/auth/session', '/api/trpc/session.get'].map((p) => waitForHttp(`${webUrl}${p}`, 120_000))),
    ),
  ]);

  say('');
  say(`AvatarAdam is ready at ${webUrl}  (started in ${elapsed()})`);
  say('Demo logins (password for all: ' + DEMO_PASSWORD + '):');
  for (const u of DEMO_USERS) say(`  ${u.role.padEnd(17)} ${u.email}`);
  if (phoneEnv.PHONE_DIAL_HINT) {
    say(`Phone practice: set the practice number on ${webUrl}/phone, then call sip:<number>@127.0.0.1:${config.sipPort} from a SIP phone.`);
  }
  say('Logs: .data/logs/. Press Ctrl-C to stop.');
}

/** A local redis-server for livekit-server and the SIP bridge, persisted under .data/redis. */
async function startDevRedis(port: number): Promise<string> {
  const redisBin = await findOnPath('redis-server');
  if (!redisBin) throw new SetupError('Phone practice needs redis-server: apt-get install redis-server (or set LIVEKIT_URL to a server that has Redis).');
  await assertTcpPortFree(port, 'redis-server', 'REDIS_PORT');
  const dir = path.join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const redis = startProcess({
    name: 'redis',
    command: redisBin,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''],
    logFile: path.join(logDir, 'redis.log'),
  });
  processes.push(redis);
  await redis.waitForLine(/Ready to accept connections/, 15_000);
  say(`redis-server ready on 127.0.0.1:${port} (data: .data/redis) at ${elapsed()}`);
  return `127.0.0.1:${port}`;
}

/** livekit-sip on the dev server; returns what the web app and agent need to know about it. */
async function startDevSipBridge(
  livekit: { url: string; apiKey: string; apiSecret: string },
  redisAddress: string,
  sipPort: number,
): Promise<Record<string, string>> {
  await assertTcpPortFree(sipPort, 'the SIP bridge', 'SIP_PORT');
  const bin = await ensureLivekitSip(say);
  const bridge = await startSipBridge({
    bin,
    dir: dataDir,
    livekit,
    redisAddress,
    sipPort,
    rtpPorts: [10000, 10199],
    healthPort: 8082,
    logFile: path.join(logDir, 'livekit-sip.log'),
  });
  processes.push(bridge);
  say(`livekit-sip ready on udp/tcp ${sipPort} (log: .data/logs/livekit-sip.log) at ${elapsed()}`);
  return {
    PHONE_PIN_SECRET: process.env.PHONE_PIN_SECRET || loadOrCreateSecret(path.join(dataDir, 'phone-pin-secret')),
    PHONE_DIAL_HINT: `sip:{number}@127.0.0.1:${sipPort}`,
  };
}

async function findOnPath(name: string): Promise<string | null> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => execFile('sh', ['-c', `command -v ${name}`], (error, stdout) => resolve(error ? null : stdout.trim() || null)));
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (error: unknown) => {
  const known = error instanceof SetupError || (error as { name?: string }).name === 'AppError';
  process.stderr.write(`\nerror: ${known ? (error as Error).message : String((error as Error).stack ?? error)}\n`);
  await shutdown(1);
});
