import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, createDocument, type Db, getDealershipUser, getDocument, listScenariosForDealership } from '@avatar-adam/db';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '@avatar-adam/db/embedded';
import { enqueueJob, QUEUES, startJobQueue, type TKeepGreetingJob } from '@avatar-adam/db/job-queue';
import { listDeadJobs } from '@avatar-adam/db/job-queue-health';
import { createMailTransport } from '@avatar-adam/db/job-queue-mail';
import { seedDemoData } from '@avatar-adam/db/seed';
import { initializeLogger } from '@livekit/agents';
import { sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildEncryptedPdf, buildPdf } from '../ingestion/sample-files';
import { openVoices, personaVoice } from '../providers';
import { resolveProviders } from '../providers/plan';
import { customerGreeting, personaGreeting } from '../prompts/greeting';
import { GreetingAudioStore, createGreetingRecorder, voiceIdentity } from '../session/greeting-audio';
import { createIngestionRunner } from './ingest-runner';
import { type TJobDeps, workJobs } from './job-handlers';
import { createJobMetrics } from './job-metrics';

/*
 * The real arrangement: the embedded database served over the wire, pg-boss on it, the handlers
 * of the job worker, and the forked indexing process (under the tsx loader, as the worker runs).
 */

let server: EmbeddedDatabase;
let handle: Awaited<ReturnType<typeof createDb>>;
let db: Db;
let seeded: Awaited<ReturnType<typeof seedDemoData>>;
let mailDir: string;
/** The messages written so far (a message being written has another name until it is whole). */
const mailFiles = () => readdirSync(mailDir).filter((f) => f.endsWith('.json'));
let deps: TJobDeps;
const bosses: PgBoss[] = [];
const previous = { DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: process.env.LOG_LEVEL };
const logger = pino({ level: 'silent' });
let indexedId: string;

beforeAll(async () => {
  server = await startEmbeddedDatabase({ dataDir: 'memory', port: 0 });
  handle = await createDb({ url: server.url });
  db = handle.db;
  seeded = await seedDemoData({ db });
  process.env.DATABASE_URL = server.url; // the indexing process connects the way the worker's does
  process.env.LOG_LEVEL = 'warn';
  mailDir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-jobs-mail-'));
  deps = {
    db,
    logger,
    ingestion: createIngestionRunner({ resolved: await resolveProviders(), idleExitMs: 10_000, execArgv: ['--import', 'tsx'] }),
    mail: createMailTransport({ from: 'AvatarAdam <no-reply@avatar-adam.local>', fileDir: mailDir, logger }),
  };
}, 60_000);
afterEach(async () => {
  for (const boss of bosses.splice(0)) await boss.stop({ graceful: false, close: false });
});
afterAll(async () => {
  await deps?.ingestion?.stop();
  for (const [key, value] of Object.entries(previous)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await handle?.close();
  await server?.close();
  rmSync(mailDir, { recursive: true, force: true });
});

const startWorker = async (overrides: TJobDeps = deps, policies?: Parameters<typeof startJobQueue>[0]['policies']) => {
  const boss = await startJobQueue({ db, policies, maintenanceIntervalSeconds: 1 });
  bosses.push(boss);
  await workJobs(boss, overrides);
  return boss;
};
const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
const upload = async (filename: string, bytes: Uint8Array) =>
  createDocument({ db, dealershipId: seeded.dealershipId, uploadedById: seeded.userIds.dealership_admin!, filename, bytes });
const docOf = (documentId: string) => () => getDocument({ db, dealershipId: seeded.dealershipId, documentId });
const email = (to: string) => ({ to, subject: 'You are invited', text: 'Join here: http://localhost:3000/invite/abc', kind: 'invitation' as const, link: 'http://localhost:3000/invite/abc' });

describe('the durable job queue (pg-boss on the embedded database)', () => {
  it('keeps a job enqueued while no worker runs, and the next worker to start completes it', async () => {
    const first = await startWorker();
    await first.stop({ graceful: true, close: false, wait: true });
    bosses.splice(0);
    const id = await enqueueJob({ db, queue: QUEUES.sendEmail, data: email('later@lakeside.example') });
    expect(id).toEqual(expect.any(String));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(mailFiles()).toHaveLength(0);

    const enqueuedAt = Date.now();
    await startWorker();
    const files = await until(async () => mailFiles(), (f) => f.length === 1, 20_000);
    expect(files).toHaveLength(1);
    const message = JSON.parse(readFileSync(path.join(mailDir, files[0]!), 'utf8'));
    expect(message).toMatchObject({ subject: 'You are invited', to: [{ address: 'later@lakeside.example', name: '' }] });
    expect(message.text).toContain('/invite/abc');
    expect(Date.now() - enqueuedAt).toBeLessThan(20_000);
  });

  it('retries a failing job with growing delays, then dead-letters it with its last error', async () => {
    const attempts: number[] = [];
    const failingMail = { deliver: async () => { attempts.push(Date.now()); throw new Error(`SMTP refused attempt ${attempts.length}`); } };
    const metrics = createJobMetrics();
    await startWorker({ ...deps, mail: failingMail, metrics }, { [QUEUES.sendEmail]: { retryLimit: 2, retryDelay: 1, retryBackoff: true } });
    const id = await enqueueJob({ db, queue: QUEUES.sendEmail, data: email('bounce@lakeside.example') });
    const dead = await until(() => listDeadJobs({ db }), (jobs) => jobs.some((j) => j.resolution !== null), 40_000);
    expect(attempts).toHaveLength(3);
    const [gap1, gap2] = [attempts[1]! - attempts[0]!, attempts[2]! - attempts[1]!];
    // Backoff: 1–2 s before the second attempt, 2–4 s before the third.
    expect(gap1).toBeGreaterThanOrEqual(1000);
    expect(gap2).toBeGreaterThanOrEqual(2000);
    expect(gap2).toBeGreaterThan(gap1);
    const job = dead.find((j) => j.queue === QUEUES.sendEmail)!;
    expect(job).toMatchObject({ lastError: 'SMTP refused attempt 3', resolution: 'not delivered', subject: { kind: 'invitation' } });
    expect(JSON.stringify(job)).not.toContain('bounce@lakeside.example');
    expect(id).toEqual(expect.any(String));
    // Every attempt is timed: three runs of send-email, all failed, each with its wait for a worker.
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/avatar_adam_job_duration_seconds_count\{[^}]*queue="send-email"[^}]*outcome="error"[^}]*\} 3/);
    expect(text).toMatch(/avatar_adam_job_wait_seconds_count\{[^}]*queue="send-email"[^}]*\} 3/);
  }, 60_000);

  it('expires the job of a worker that died mid-job, and the next worker completes its retry', async () => {
    // The expiry is pg-boss's maintenance, a script with its own transaction: on postgres.js it runs
    // on a reserved connection (job-queue-db.ts), or it fails on every pass and nothing expires.
    const errors: string[] = [];
    const policy = { [QUEUES.sendEmail]: { expireInSeconds: 2, retryLimit: 1, retryDelay: 0, retryBackoff: false } };
    // A worker that dies mid-job leaves it active: here one takes the job and never answers (a
    // stop, even an abrupt one, would fail its own jobs and so retry them without any expiry).
    const crashed = await startJobQueue({ db, policies: policy, maintenanceIntervalSeconds: 1 });
    await enqueueJob({ db, queue: QUEUES.sendEmail, data: email('stuck@lakeside.example') });
    const taken = await until(() => crashed.fetch(QUEUES.sendEmail), (jobs) => (jobs?.length ?? 0) > 0, 20_000);
    expect(taken).toHaveLength(1);
    await crashed.stop({ graceful: false, close: false });
    const crashedAt = Date.now();

    const next = await startJobQueue({ db, policies: policy, maintenanceIntervalSeconds: 1, onError: (e) => errors.push(e.message) });
    bosses.push(next);
    await workJobs(next, deps);
    const delivered = () => mailFiles().filter((f) => readFileSync(path.join(mailDir, f), 'utf8').includes('stuck@lakeside.example'));
    expect(await until(async () => delivered(), (f) => f.length === 1, 30_000)).toHaveLength(1);
    // Retried only once the 2 s attempt had expired, by a maintenance pass that did not fail.
    expect(Date.now() - crashedAt).toBeGreaterThanOrEqual(1000);
    expect(errors).toEqual([]);
  }, 60_000);

  it('indexes a good upload and fails a broken one with its reason, through the queue', async () => {
    await startWorker();
    const good = await upload('menu.pdf', await buildPdf(['GAP covers the difference between the loan balance and the car value.']));
    const broken = await upload('locked.pdf', await buildEncryptedPdf());
    expect(await until(docOf(good.id), (d) => d.status === 'ready')).toMatchObject({ status: 'ready', chunkCount: 1 });
    indexedId = good.id;
    const failed = await until(docOf(broken.id), (d) => d.status === 'failed');
    expect(failed).toMatchObject({ status: 'failed', chunkCount: 0 });
    expect(failed.error).toMatch(/password|encrypt|protected/i);
  }, 120_000);

  it('refuses a job whose dealership does not own the document, and changes nothing', async () => {
    const boss = await startWorker();
    const before = await docOf(indexedId)();
    const other = await seedOtherDealership();
    const forged = await enqueueJob({ db, queue: QUEUES.ingestDocument, data: { documentId: indexedId, dealershipId: other } });
    const job = await until(() => boss.getJobById(QUEUES.ingestDocument, forged!), (j) => j?.state === 'completed', 20_000);
    expect(job?.output).toMatchObject({ status: 'refused' });
    expect(await docOf(indexedId)()).toEqual(before);
  }, 60_000);
});

describe('greetings synthesised ahead of the first session', () => {
  it('keeps a role-play greeting in the voice its sessions look it up in, once, and refuses another owner', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-greetings-'));
    initializeLogger({ pretty: false, level: 'warn' }); // the voice engines log through agents-js, as in the job worker
    try {
      const store = new GreetingAudioStore({ dir });
      const resolved = await resolveProviders();
      const boss = await startWorker({ ...deps, greetings: createGreetingRecorder({ store, resolved }) });
      const listed = (await listScenariosForDealership({ db, dealershipId: seeded.dealershipId })).find((s) => s.mode === 'roleplay')!;
      const owner = { scenarioId: listed.id, dealershipId: listed.isPlatform ? null : seeded.dealershipId };
      // The seed asked for its role-play greetings: let those jobs finish, then start from an empty folder.
      await until(
        async () => (await db.execute(sql`select id from pgboss.job where name = 'keep-greeting' and state in ('created', 'retry', 'active')`)) as unknown as unknown[],
        (rows) => ((rows as { rows?: unknown[] }).rows ?? rows).length === 0,
        60_000,
      );
      for (const name of readdirSync(dir)) rmSync(path.join(dir, name));
      const run = async (data: TKeepGreetingJob) => {
        const id = await enqueueJob({ db, queue: QUEUES.keepGreeting, data });
        return until(() => boss.getJobById(QUEUES.keepGreeting, id!), (j) => j?.state === 'completed' || j?.state === 'failed', 60_000);
      };

      expect((await run(owner))?.output).toMatchObject({ status: 'kept' });
      expect(readdirSync(dir).filter((n) => n.endsWith('.wav'))).toHaveLength(1);
      // What a session of this scenario looks up: its persona's voice chain and greeting.
      const voice = await personaVoice(resolved, new Map(await openVoices(resolved)), { voiceHint: listed.persona.voice });
      const frames = await store.read(voiceIdentity(voice)!.id, customerGreeting(listed));
      const seconds = frames!.reduce((n, f) => n + f.samplesPerChannel, 0) / frames![0]!.sampleRate;
      expect(seconds).toBeGreaterThan(2);

      expect((await run(owner))?.output).toMatchObject({ status: 'already kept' });
      const other = await seedOtherDealership();
      expect((await run({ scenarioId: listed.id, dealershipId: other }))?.output).toMatchObject({ status: 'refused' });
      expect(readdirSync(dir).filter((n) => n.endsWith('.wav'))).toHaveLength(1);

      // A coach greeting names the trainee: kept for that trainee, refused for a trainee claimed by another dealership.
      const coach = (await listScenariosForDealership({ db, dealershipId: seeded.dealershipId })).find((s) => s.mode === 'coach')!;
      const coachOwner = coach.isPlatform ? null : seeded.dealershipId;
      const traineeId = seeded.userIds.trainee!;
      expect((await run({ scenarioId: coach.id, dealershipId: coachOwner }))?.output).toMatchObject({ status: 'skipped' });
      expect((await run({ scenarioId: coach.id, dealershipId: coachOwner, trainee: { id: traineeId, dealershipId: seeded.dealershipId } }))?.output).toMatchObject({ status: 'kept' });
      const { name } = (await getDealershipUser({ db, dealershipId: seeded.dealershipId, userId: traineeId }))!;
      const coachVoice = await personaVoice(resolved, new Map(await openVoices(resolved)), { voiceHint: coach.persona.voice });
      expect(await store.read(voiceIdentity(coachVoice)!.id, personaGreeting(coach, name))).not.toBeNull();
      expect((await run({ scenarioId: coach.id, dealershipId: coachOwner, trainee: { id: traineeId, dealershipId: other } }))?.output).toMatchObject({ status: 'refused' });
      expect(readdirSync(dir).filter((n) => n.endsWith('.wav'))).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

async function seedOtherDealership(): Promise<string> {
  const { createOtherDealership } = await import('@avatar-adam/db/testing');
  return (await createOtherDealership(db as never, `jobs-${Date.now()}`)).dealershipId;
}
