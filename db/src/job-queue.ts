import PgBoss from 'pg-boss';
import { z } from 'zod';
import type { Db, Tx } from './client';
import { bossDbFor, bossDbForTransaction } from './job-queue-db';
import { listScenariosForDealership } from './scenarios';

/*
 * The durable job queue: document ingestion, scoring, email and recording greetings, on pg-boss
 * (Postgres-backed).
 * Why Postgres and not BullMQ/Redis: it runs identically on the embedded PGlite (in process, or
 * served over a socket by embedded.ts + embedded-queue.ts so web, agent and job worker share it)
 * and on production Postgres; the default setup needs no Redis; and a job is inserted in the
 * same transaction as the row it concerns (a document and its ingestion job commit together or
 * not at all). pg-boss 10 is the newest line that supports Node 20 (11+ needs Node 22).
 * The `pgboss` schema and these queues are created by migration 0005_create_job_queue.
 */

export const QUEUES = {
  ingestDocument: 'ingest-document',
  scoreSession: 'score-session',
  sendEmail: 'send-email',
  keepGreeting: 'keep-greeting',
} as const;
export type TQueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_NAMES = Object.values(QUEUES) as TQueueName[];
/** Where a job goes once its retries are used up. */
export const deadLetterOf = (queue: TQueueName) => `${queue}__dead` as const;

export const ZIngestDocumentJob = z.object({ documentId: z.uuid(), dealershipId: z.uuid() }).strict();
/** W3C trace context of the code that stored the job, so its work joins the same trace. */
const ZTraceCarrier = { traceparent: z.string().max(128).optional(), tracestate: z.string().max(512).optional() };
export const ZScoreSessionJob = z.object({ sessionId: z.uuid(), dealershipId: z.uuid(), ...ZTraceCarrier }).strict();
export const ZSendEmailJob = z
  .object({
    to: z.email(),
    subject: z.string().min(1).max(300),
    text: z.string().min(1).max(20_000),
    html: z.string().max(100_000).optional(),
    kind: z.enum(['invitation', 'manager_invitation', 'password_reset']),
    /** The action the email carries; logged when mail goes to files (no SMTP), so it can be followed. */
    link: z.url().optional(),
  })
  .strict();
/**
 * Synthesise a scenario's greeting ahead of its first session (agent session/greeting-audio.ts).
 * `dealershipId` is the scenario's owner: null for a platform-wide scenario. A coach greeting
 * names the trainee: `trainee` says whose (and their dealership, which must see the scenario).
 */
export const ZKeepGreetingJob = z
  .object({
    scenarioId: z.uuid(),
    dealershipId: z.uuid().nullable(),
    trainee: z.object({ id: z.uuid(), dealershipId: z.uuid() }).strict().optional(),
  })
  .strict();
export type TIngestDocumentJob = z.infer<typeof ZIngestDocumentJob>;
export type TKeepGreetingJob = z.infer<typeof ZKeepGreetingJob>;
export type TScoreSessionJob = z.infer<typeof ZScoreSessionJob>;
export type TSendEmailJob = z.infer<typeof ZSendEmailJob>;

export const JOB_PAYLOADS = {
  [QUEUES.ingestDocument]: ZIngestDocumentJob,
  [QUEUES.scoreSession]: ZScoreSessionJob,
  [QUEUES.sendEmail]: ZSendEmailJob,
  [QUEUES.keepGreeting]: ZKeepGreetingJob,
} as const;

export type TQueuePolicy = { retryLimit: number; retryDelay: number; retryBackoff: boolean; expireInSeconds: number };

/**
 * Retries with exponential backoff: attempt n waits retryDelay·2^(n-1) to twice that (pg-boss
 * adds jitter). Ingestion: a crash of the indexing process or a database outage is retried once;
 * scoring three times; email five times over ~30 minutes (an SMTP server that is briefly away); a
 * greeting once (without it the first session synthesises the greeting itself).
 * `expireInSeconds` is how long an attempt may run before pg-boss counts it failed (a worker
 * killed mid-job is noticed this way).
 */
export const QUEUE_POLICIES: Record<TQueueName, TQueuePolicy> = {
  [QUEUES.ingestDocument]: { retryLimit: 1, retryDelay: 30, retryBackoff: true, expireInSeconds: 10 * 60 },
  [QUEUES.scoreSession]: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 5 * 60 },
  [QUEUES.sendEmail]: { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 2 * 60 },
  [QUEUES.keepGreeting]: { retryLimit: 1, retryDelay: 30, retryBackoff: true, expireInSeconds: 2 * 60 },
};

/** One job per document / session / greeting waits at a time: producers and the sweep may both enqueue it. */
const SINGLETON_KEY: Partial<Record<TQueueName, (data: Record<string, unknown>) => string>> = {
  [QUEUES.ingestDocument]: (d) => String(d.documentId),
  [QUEUES.scoreSession]: (d) => String(d.sessionId),
  [QUEUES.keepGreeting]: (d) => [d.scenarioId, (d.trainee as { id: string } | undefined)?.id].filter(Boolean).join(':'),
};

// Never started and never connected: only its `send`, given a connection per call, is used.
let sender: PgBoss | undefined;
const noConnection: PgBoss.Db = { executeSql: () => Promise.reject(new Error('job queue sender has no connection')) };

/**
 * Stores a job on `db` — pass the transaction that writes the row the job is about, and the job
 * exists exactly when that row does. The payload is validated first (a bad payload throws and
 * nothing is stored). Returns the job id, or null when the same job is already waiting.
 */
export async function enqueueJob<Q extends TQueueName>(opts: { db: Db | Tx; queue: Q; data: z.input<(typeof JOB_PAYLOADS)[Q]> }): Promise<string | null> {
  const data = JOB_PAYLOADS[opts.queue].parse(opts.data) as Record<string, unknown>;
  sender ??= new PgBoss({ db: noConnection, supervise: false, schedule: false, migrate: false });
  const singletonKey = SINGLETON_KEY[opts.queue]?.(data);
  return sender.send(opts.queue, data, { db: bossDbForTransaction(opts.db), ...(singletonKey ? { singletonKey } : {}) });
}

export const enqueueIngestDocument = (opts: { db: Db | Tx } & TIngestDocumentJob) =>
  enqueueJob({ db: opts.db, queue: QUEUES.ingestDocument, data: { documentId: opts.documentId, dealershipId: opts.dealershipId } });
export const enqueueScoreSession = (opts: { db: Db | Tx } & TScoreSessionJob) =>
  enqueueJob({
    db: opts.db,
    queue: QUEUES.scoreSession,
    data: { sessionId: opts.sessionId, dealershipId: opts.dealershipId, traceparent: opts.traceparent, tracestate: opts.tracestate },
  });
export const enqueueSendEmail = (opts: { db: Db | Tx; message: TSendEmailJob }) =>
  enqueueJob({ db: opts.db, queue: QUEUES.sendEmail, data: opts.message });
/** For role-play scenarios only: a coach's greeting names the trainee (`enqueueCoachGreetings`). */
export const enqueueKeepGreeting = (opts: { db: Db | Tx; scenario: { id: string; dealershipId: string | null; mode: 'coach' | 'roleplay' } }) =>
  opts.scenario.mode === 'roleplay'
    ? enqueueJob({ db: opts.db, queue: QUEUES.keepGreeting, data: { scenarioId: opts.scenario.id, dealershipId: opts.scenario.dealershipId } })
    : Promise.resolve(null);

/**
 * A user's greetings from every active coach scenario their dealership can practise (called at
 * sign-in: their first coach session then starts with the greeting ready).
 */
export async function enqueueCoachGreetings(opts: { db: Db; user: { id: string; dealershipId: string } }): Promise<number> {
  const coaches = (await listScenariosForDealership({ db: opts.db, dealershipId: opts.user.dealershipId })).filter((s) => s.mode === 'coach');
  for (const coach of coaches) {
    await enqueueJob({
      db: opts.db,
      queue: QUEUES.keepGreeting,
      data: { scenarioId: coach.id, dealershipId: coach.isPlatform ? null : opts.user.dealershipId, trainee: opts.user },
    });
  }
  return coaches.length;
}

export type TJobQueueOptions = {
  db: Db;
  /** Override retry settings (tests use short delays). */
  policies?: Partial<Record<TQueueName, Partial<TQueuePolicy>>>;
  /** How often an idle worker looks for work (pg-boss's minimum is 0.5 s). */
  pollingIntervalSeconds?: number;
  /** How often pg-boss expires stuck jobs and archives old ones. */
  maintenanceIntervalSeconds?: number;
  onError?: (error: Error) => void;
};

/**
 * Starts pg-boss for a process that works jobs: supervision on (expiring attempts whose worker
 * died, archiving), queue settings brought up to date. Producers need none of this: enqueueJob.
 */
export async function startJobQueue(opts: TJobQueueOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    db: bossDbFor(opts.db),
    supervise: true,
    schedule: false,
    migrate: true,
    pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 0.5,
    maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds ?? 60,
    // Failed and dead jobs stay visible (health page) for a week.
    archiveFailedAfterSeconds: 7 * 24 * 3600,
  });
  boss.on('error', (error: Error) => opts.onError?.(error));
  await boss.start();
  for (const queue of QUEUE_NAMES) {
    const dead = deadLetterOf(queue);
    await boss.createQueue(dead, { name: dead, policy: 'standard', retentionDays: 7 });
    const policy = { ...QUEUE_POLICIES[queue], ...opts.policies?.[queue] };
    // 'short': one waiting job per singleton key. Email has no key, so it stays 'standard'
    // (under 'short' every keyless job would share one slot).
    const settings = { name: queue, policy: SINGLETON_KEY[queue] ? 'short' : 'standard', deadLetter: dead, ...policy } as const;
    await boss.createQueue(queue, settings);
    await boss.updateQueue(queue, settings);
  }
  return boss;
}
