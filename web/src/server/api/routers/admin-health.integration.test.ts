import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { findRepoRoot, listScenariosForDealership, schema, type TAuthUser } from '@avatar-adam/db';
import { insertAnalyticsSession } from '@avatar-adam/db/analytics-testing';
import { enqueueJob, QUEUES, startJobQueue } from '@avatar-adam/db/job-queue';
import { createTestDb } from '@avatar-adam/db/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLivekitServer } from '../../../../../scripts/lib/livekit-binary';
import { readLivekitKeys, startLivekitServer, writeLivekitConfig } from '../../../../../scripts/lib/livekit-server';
import { freeTcpPort, type ManagedProcess } from '../../../../../scripts/lib/processes';
import { createCaller } from '../root';
import { createTRPCContext } from '../trpc';
import { createPlatformProbe, type TPlatformProbeConfig } from './admin-health-probe';
import { unreachableLiveKit } from './test-support';

/*
 * The health page against a real livekit-server. Agent workers are stand-ins that answer exactly
 * as agents-js's health server does (node_modules/@livekit/agents/src/http_server.ts): `/` is 200
 * "OK" while the worker's WebSocket to LiveKit is open, else 503 with the reason; `/worker` is JSON.
 */
let t: Awaited<ReturnType<typeof createTestDb>>;
let livekit: ManagedProcess;
let workDir: string;
let config: TPlatformProbeConfig;
const workers: Server[] = [];

function agentHealthServer(health: { status: number; message: string }, agentName: string): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url === '/') res.writeHead(health.status).end(health.message);
    else if (req.url === '/worker') res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ agent_name: agentName, active_jobs: 1, sdk_version: '1.9.0', worker_type: 'JT_ROOM' }));
    else res.writeHead(404).end('not found');
  });
  workers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)));
}

beforeAll(async () => {
  t = await createTestDb();
  workDir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-health-'));
  const ports = { http: await freeTcpPort(), rtcTcp: await freeTcpPort(), rtcUdp: await freeTcpPort() };
  const configFile = writeLivekitConfig(findRepoRoot(), workDir, ports);
  livekit = await startLivekitServer({ bin: await ensureLivekitServer(() => {}), configFile, httpPort: ports.http, logFile: path.join(workDir, 'livekit.log') });

  const modelsDir = path.join(workDir, 'models');
  mkdirSync(path.join(modelsDir, 'whisper-tiny.en-ct2'), { recursive: true });
  writeFileSync(path.join(modelsDir, 'whisper-tiny.en-ct2', 'installed.json'), JSON.stringify({ id: 'whisper-tiny.en-ct2', installedAt: '2025-01-01T00:00:00Z', files: [], corrupt: ['model.bin'] }));
  mkdirSync(path.join(modelsDir, 'half-downloaded'));

  config = {
    livekit: { url: `ws://127.0.0.1:${ports.http}`, ...readLivekitKeys(configFile) },
    agentHealthUrls: [
      await agentHealthServer({ status: 200, message: 'OK' }, 'avatar-adam'),
      await agentHealthServer({ status: 503, message: 'not connected to livekit' }, 'avatar-adam'),
      await agentHealthServer({ status: 200, message: 'OK' }, 'someone-else'),
      `http://127.0.0.1:${await freeTcpPort()}`,
    ],
    agentName: 'avatar-adam',
    providerSettings: { stt: 'auto', llm: 'openai,llama', tts: 'auto', embeddings: 'auto', openaiKey: true, openaiBaseUrl: null, elevenlabsKey: false },
    modelsDir,
    timeoutMs: 2000,
  };

  // Work waiting: a queued document and a finished session in which the trainee spoke, unscored.
  const dealershipId = t.seeded.dealershipId;
  await t.db.insert(schema.documents).values({ dealershipId, title: 'Menu', filename: 'menu.pdf', mime: 'application/pdf', sizeBytes: 10, sha256: 'x'.repeat(64), status: 'queued' });
  const scenario = (await listScenariosForDealership({ db: t.db, dealershipId }))[0]!;
  const sessionId = await insertAnalyticsSession(t.db, { dealershipId, traineeId: t.seeded.userIds.trainee!, scenarioId: scenario.id, at: '2025-03-01T10:00:00Z', status: 'ended' });
  await t.db.insert(schema.sessionTurns).values({ sessionId, dealershipId, sequence: 1, speaker: 'trainee', text: 'Hello', startedAt: new Date() });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => new Promise((r) => w.close(r))));
  await livekit?.stop();
  await t?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const superAdmin = (): TAuthUser => ({ id: t.seeded.userIds.super_admin!, email: 'admin@avatar-adam.example', name: 'Platform Admin', role: 'super_admin', dealershipId: null });
const healthWith = (probeConfig: TPlatformProbeConfig) =>
  createCaller(
    createTRPCContext({
      db: t.db,
      session: { user: superAdmin(), expires: new Date(Date.now() + 60_000).toISOString() },
      livekit: unreachableLiveKit('health'),
      platform: createPlatformProbe(probeConfig),
      logger: pino({ level: 'silent' }),
    }),
  ).admin.health();

describe('admin.health', () => {
  it('reports the database, LiveKit, each agent worker, the queues and the providers', async () => {
    const health = await healthWith(config);
    expect(health.database).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
    expect(health.livekit).toMatchObject({ ok: true, rooms: 0, latencyMs: expect.any(Number) });
    expect(health.agentWorkers.map((w) => [w.reachable, w.registered, w.nameMatches, w.message])).toEqual([
      [true, true, true, 'OK'],
      [true, false, true, 'not connected to livekit'],
      [true, true, false, 'OK'],
      [false, false, false, expect.any(String)],
    ]);
    expect(health.agentWorkers[0]).toMatchObject({ agentName: 'avatar-adam', activeJobs: 1, sdkVersion: '1.9.0' });
    expect(health.queue).toEqual({ documentsQueued: 1, documentsProcessing: 0, sessionsAwaitingScorecard: 1, sessionsAwaitingScorecardCapped: false, scorecardsPending: 0 });
    expect(health.providers.settings).toMatchObject({ llm: 'openai,llama', openaiKey: true });
    expect(health.providers.installedModels).toEqual([{ id: 'whisper-tiny.en-ct2', installedAt: '2025-01-01T00:00:00Z', damagedFiles: 1 }]);
    // The seeded knowledge base is chunked; whether embedded or not, every chunk is counted once.
    expect(health.providers.embeddingModels!.reduce((n, m) => n + m.chunks, 0)).toBeGreaterThan(0);
  });

  it('lists a job whose retries are used up, with its last error, and counts it per queue', async () => {
    const boss = await startJobQueue({ db: t.db, policies: { [QUEUES.sendEmail]: { retryLimit: 1, retryDelay: 1, retryBackoff: false } } });
    try {
      // A handler that always fails, standing in for an SMTP server that refuses everything.
      await boss.work(QUEUES.sendEmail, async () => {
        throw new Error('SMTP 550 mailbox unavailable');
      });
      const message = { to: 'gone@lakeside.example', subject: 'Reset your password', text: 'http://localhost:3000/reset-password/secret-token', kind: 'password_reset' as const };
      await enqueueJob({ db: t.db, queue: QUEUES.sendEmail, data: message });
      let health = await healthWith(config);
      for (let i = 0; i < 60 && !health.deadJobs?.length; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        health = await healthWith({ ...config, agentHealthUrls: [] });
      }
      expect(health.deadJobs).toEqual([
        expect.objectContaining({ queue: 'send-email', lastError: 'SMTP 550 mailbox unavailable', subject: { kind: 'password_reset' }, resolution: null }),
      ]);
      // The reset link and the address stay out of the operator's page.
      expect(JSON.stringify(health.deadJobs)).not.toMatch(/secret-token|gone@lakeside/);
      expect(health.jobQueues).toContainEqual({ queue: 'send-email', waiting: 0, active: 0, dead: 1 });
    } finally {
      await boss.stop({ graceful: false, close: false });
    }
  }, 30_000);

  it('says LiveKit is down when it cannot be reached or refuses our keys', async () => {
    const wrongKeys = await healthWith({ ...config, livekit: { ...config.livekit, apiSecret: 'not-the-secret-of-this-server-at-all' } });
    expect(wrongKeys.livekit).toMatchObject({ ok: false, error: expect.any(String) });
    const nobody = await healthWith({ ...config, livekit: { ...config.livekit, url: `ws://127.0.0.1:${await freeTcpPort()}` }, agentHealthUrls: [] });
    expect(nobody.livekit).toMatchObject({ ok: false });
    expect(nobody.agentWorkers).toEqual([]);
    expect(nobody.database.ok).toBe(true);
  });
});
