import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb, listScenariosForDealership, markSessionLive, startPracticeSession } from '@avatar-adam/db';
import { startEmbeddedDatabase } from '@avatar-adam/db/embedded';
import { seedDemoData } from '@avatar-adam/db/seed';
import { createTenantUsers } from '@avatar-adam/db/testing';
import { pino } from 'pino';
import { sessionLossTimings, startHeartbeat } from '../../agent/src/session/lifecycle';
import { userMessageOf } from '../../web/src/server/api/errors';
import { createCaller } from '../../web/src/server/api/root';
import { unreachableLiveKit } from '../../web/src/server/api/routers/test-support';
import { createTRPCContext } from '../../web/src/server/api/trpc';

/*
 * npm run fault:db — the database goes away under a running web app and agent, then comes back.
 * The embedded database server (PGlite served over the Postgres protocol, files in a temp folder
 * so a restart keeps them) is stopped for a while; meanwhile a manager's observe list and a
 * trainee's history are asked for every 200 ms through the in-process tRPC routers (own postgres.js
 * pool, as the web app has), and an agent job heart-beats a live session (its own pool). Prints
 * what callers were told, whether anything crashed, and how long after the restart both recovered.
 *   --outage <s> (default 12: at least one heartbeat falls inside)
 */
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const OUTAGE_S = arg('outage', 12);
const dataDir = mkdtempSync(path.join(tmpdir(), 'avatar-adam-fault-db-'));
let unhandled = 0;
process.on('unhandledRejection', () => unhandled++);

async function main() {
  let server = await startEmbeddedDatabase({ dataDir, port: 0 });
  const port = server.port;
  const setup = await createDb({ url: server.url });
  const seeded = await seedDemoData({ db: setup.db });
  const users = await createTenantUsers({ ...setup, seeded });
  const scenario = (await listScenariosForDealership({ db: setup.db, dealershipId: seeded.dealershipId })).find((s) => s.mode === 'roleplay')!;
  const session = await startPracticeSession({ db: setup.db, dealershipId: seeded.dealershipId, traineeId: users.lakeside.trainee.id, scenarioId: scenario.id, channel: 'web' });
  await markSessionLive({ db: setup.db, sessionId: session.id });
  await setup.close();

  const web = await createDb({ url: server.url });
  const agent = await createDb({ url: server.url });
  const silent = pino({ level: 'silent' });
  const as = (user: typeof users.lakeside.manager) =>
    createCaller(createTRPCContext({ db: web.db, session: { user, expires: new Date(Date.now() + 3_600_000).toISOString() }, livekit: unreachableLiveKit('fault:db'), logger: silent }));
  const agentWarnings: string[] = [];
  const agentLogger = pino({ level: 'warn' }, { write: (line: string) => agentWarnings.push((JSON.parse(line) as { msg: string }).msg) });
  // The agent's default timing: a beat every 10 s.
  const stopHeartbeat = startHeartbeat({ db: agent.db, sessionId: session.id, logger: agentLogger as never, intervalMs: sessionLossTimings(45).heartbeatIntervalMs });

  type TResult = { at: number; ms: number; ok: boolean; said?: string };
  const results: TResult[] = [];
  const probe = setInterval(() => {
    const at = performance.now();
    Promise.all([as(users.lakeside.manager).observe.live(), as(users.lakeside.trainee).history.list({})]).then(
      () => results.push({ at, ms: performance.now() - at, ok: true }),
      (error: unknown) => results.push({ at, ms: performance.now() - at, ok: false, said: describe(error) }),
    );
  }, 200);

  await sleep(3000);
  const downAt = performance.now();
  await server.close();
  await sleep(OUTAGE_S * 1000);
  const upAt = performance.now();
  server = await startEmbeddedDatabase({ dataDir, port });
  const upReadyMs = performance.now() - upAt;
  const webBack = await until(() => results.some((r) => r.at > upAt && r.ok));
  const beatsBefore = agentWarnings.length;
  const agentBack = await until(() => agent.db.execute('select 1').then(() => true, () => false));
  await sleep(11_000); // one more heartbeat interval: it must go through without a warning
  clearInterval(probe);
  stopHeartbeat();

  const during = results.filter((r) => r.at >= downAt && r.at < upAt);
  console.log(`\nfault:db — embedded database stopped for ${OUTAGE_S} s under the web routers and an agent heartbeat\n`);
  console.log(`web calls before the outage: ${results.filter((r) => r.at < downAt).length}, all answered: ${results.filter((r) => r.at < downAt).every((r) => r.ok)}`);
  const slowest = Math.max(0, ...during.map((r) => r.ms));
  console.log(`web calls during the outage: ${during.length}, refused with an error: ${during.filter((r) => !r.ok).length}, held until the database returned: ${during.filter((r) => r.ok).length} (longest ${slowest.toFixed(0)} ms)`);
  for (const [said, count] of countBy(during.filter((r) => !r.ok).map((r) => r.said!))) console.log(`  ${count} × ${said}`);
  console.log(`agent heartbeat warnings during the outage: ${countBy(agentWarnings.slice(0, beatsBefore)).map(([m, c]) => `${c} × "${m}"`).join(', ') || 'none'}`);
  console.log(`database server restarted in ${upReadyMs.toFixed(0)} ms`);
  console.log(`web answering again ${webBack.toFixed(0)} ms after the restart began; agent queries ${agentBack.toFixed(0)} ms`);
  console.log(`agent heartbeat warnings after recovery: ${agentWarnings.length - beatsBefore}; unhandled rejections: ${unhandled}; process still running: yes`);
  await Promise.all([web.close(), agent.close()]);
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

function describe(error: unknown): string {
  const code = (error as { code?: string }).code ?? 'ERROR';
  return `${code}: "${userMessageOf(error as never)}"`;
}

function countBy(items: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts];
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error('did not recover within a minute');
    await sleep(50);
  }
  return performance.now() - started;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

main().catch((error: unknown) => {
  console.error(error);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
});
