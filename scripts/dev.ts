// `npm run dev`: the whole product on this machine — embedded database, livekit-server, the agent
// worker and the web app — with one command, stopped cleanly with Ctrl-C.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createDb, findRepoRoot, migrate } from '@avatar-adam/db';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '@avatar-adam/db/embedded';
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from '@avatar-adam/db/seed';
import { loadDevConfig } from './lib/dev-config';
import { ensureLivekitServer, SetupError } from './lib/livekit-binary';
import { ensureLocalModels } from './lib/local-models';
import { readLivekitKeys, startLivekitServer } from './lib/livekit-server';
import { assertTcpPortFree, type ManagedProcess, startProcess, waitForHttp } from './lib/processes';
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

  // Database first: everything else needs it, and a bad DATABASE_URL should stop us early.
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase({ dataDir, port: config.embeddedDbPort });
    databaseUrl = embedded.url;
  }
  const handle = await createDb({ url: databaseUrl });
  await migrate(handle);
  await seedDemoData({ db: handle.db });
  await handle.close();
  say(`database ready (${embedded ? `embedded PGlite in .data/pglite, served on port ${config.embeddedDbPort}` : 'DATABASE_URL'}) at ${elapsed()}`);

  let livekit = { url: config.livekitUrl, apiKey: config.livekitApiKey, apiSecret: config.livekitApiSecret };
  if (!livekit.url) {
    const bin = await ensureLivekitServer(say);
    const configFile = path.join(root, 'livekit.yaml');
    const server = await startLivekitServer({ bin, configFile, httpPort: 7880, logFile: path.join(logDir, 'livekit.log') });
    processes.push(server);
    livekit = { url: 'ws://127.0.0.1:7880', ...readLivekitKeys(configFile) };
    say(`livekit-server ready on ws://127.0.0.1:7880 (log: .data/logs/livekit.log) at ${elapsed()}`);
  }

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
  };
  const agent = startProcess({
    name: 'agent',
    command: process.execPath,
    args: ['--import', 'tsx', 'src/main.ts', 'start'],
    cwd: path.join(root, 'agent'),
    env: childEnv,
    onLine: prefixed('agent'),
    logFile: path.join(logDir, 'agent.log'),
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
  processes.push(agent, web);
  for (const p of [agent, web]) {
    void p.exited.then((code) => {
      if (stopping) return;
      say(`${p.name} exited unexpectedly (${code}); stopping everything. Last lines:\n${p.tail().slice(-20).join('\n')}`);
      void shutdown(1);
    });
  }

  const webUrl = `http://localhost:${config.webPort}`;
  await Promise.all([
    // Registered, and a job process has its engines loaded: the first session starts at once.
    agent.waitForLine(/registered worker/, 60_000).then(() => agent.waitForLine(/job process ready/, 90_000)),
    // The first request of each route compiles it; doing it here means the user's first clicks are fast.
    waitForHttp(`${webUrl}/sign-in`, 120_000).then(() =>
      Promise.all(['/practice', '/api/auth/session', '/api/trpc/session.get'].map((p) => waitForHttp(`${webUrl}${p}`, 120_000))),
    ),
  ]);

  say('');
  say(`AvatarAdam is ready at ${webUrl}  (started in ${elapsed()})`);
  say('Demo logins (password for all: ' + DEMO_PASSWORD + '):');
  for (const u of DEMO_USERS) say(`  ${u.role.padEnd(17)} ${u.email}`);
  say('Logs: .data/logs/. Press Ctrl-C to stop.');
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (error: unknown) => {
  const known = error instanceof SetupError || (error as { name?: string }).name === 'AppError';
  process.stderr.write(`\nerror: ${known ? (error as Error).message : String((error as Error).stack ?? error)}\n`);
  await shutdown(1);
});
