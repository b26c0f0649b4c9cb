import path from 'node:path';
import { createDb, dataDir } from '@avatar-adam/db';
import { startJobQueue } from '@avatar-adam/db/job-queue';
import { createMailTransport } from '@avatar-adam/db/job-queue-mail';
import { sweepUnqueuedWork } from '@avatar-adam/db/job-queue-sweep';
import { initializeLogger } from '@livekit/agents';
import { pino } from 'pino';
import { env } from '../env';
import { resolveProviders } from '../providers/plan';
import { createJudge } from '../scoring/judge-openai';
import { registerAgentTracing } from '../tracing/provider';
import { serveMetrics } from '../metrics/http-server';
import { createIngestionRunner } from './ingest-runner';
import { createJobMetrics } from './job-metrics';
import { workJobs } from './job-handlers';
import { createGreetingRecorder, greetingAudioStore } from '../session/greeting-audio';

/*
 * The job worker (`npm run jobs -w agent`): its own process beside the agent worker, working the
 * durable queues — document ingestion (in a forked indexing process), scoring, email, greetings
 * synthesised ahead of their first session — and, every
 * SWEEP_INTERVAL_MS, giving a job to work that has none. Several can run against one database;
 * pg-boss hands each job to one of them.
 */

const SWEEP_INTERVAL_MS = 30_000;
const logger = pino({ name: 'jobs', level: env.LOG_LEVEL, base: { service: 'jobs', pid: process.pid } });

async function main(): Promise<void> {
  // Scoring joins the trace of the session that ended (its job carries the traceparent).
  const tracing = env.OTEL_EXPORTER_OTLP_ENDPOINT
    ? registerAgentTracing({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: 'avatar-adam-jobs' })
    : undefined;
  // The same provider plan as the agent worker (which logs it): one embedding model for both.
  const resolved = await resolveProviders();
  let handle: Awaited<ReturnType<typeof createDb>>;
  try {
    handle = await createDb({ url: env.DATABASE_URL });
  } catch (error) {
    process.stderr.write(`Job worker cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const { db, kind } = handle;
  // The indexing process connects on its own: a PGlite folder opened in this process is ours alone.
  const ingestion = kind === 'postgres' ? createIngestionRunner({ resolved }) : null;
  if (!ingestion) logger.warn('document ingestion is off: set DATABASE_URL or run through `npm run dev`, which serves the embedded database');
  const mail = createMailTransport({
    smtpUrl: env.SMTP_URL,
    from: env.MAIL_FROM,
    fileDir: path.join(dataDir(), 'mail'),
    logger: logger.child({ component: 'mail' }),
  });
  const boss = await startJobQueue({ db, onError: (error) => logger.warn({ err: error }, 'job queue error') });
  const metrics = env.JOBS_METRICS_PORT > 0 ? createJobMetrics() : undefined;
  const metricsServer = metrics
    ? await serveMetrics({ registry: metrics.registry, port: env.JOBS_METRICS_PORT, token: env.METRICS_TOKEN })
    : undefined;
  // The voice engines (agents-js) log through its own logger.
  initializeLogger({ pretty: false, level: env.LOG_LEVEL });
  const store = greetingAudioStore();
  const greetings = store ? createGreetingRecorder({ store, resolved, fallbackVoice: env.AGENT_TTS_VOICE_DEFAULT }) : null;
  await workJobs(boss, { db, logger, ingestion, mail, judge: createJudge(resolved), metrics, greetings });

  const sweep = async () => {
    try {
      const swept = await sweepUnqueuedWork({ db });
      if (swept.documents + swept.sessions > 0) logger.info(swept, 'work without a job was enqueued');
    } catch (error) {
      logger.warn({ err: error }, 'sweep for work without a job failed; retrying on the next one');
    }
  };
  void sweep();
  const sweeper = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
  logger.info({ database: handle.target, mail: env.SMTP_URL ? 'smtp' : 'files', metricsPort: metricsServer?.port }, 'job worker ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'job worker stopping');
    clearInterval(sweeper);
    // Jobs in progress get 20 s to finish; those that do not are failed and retried elsewhere.
    await boss.stop({ graceful: true, timeout: 20_000, close: false, wait: true }).catch(() => undefined);
    await ingestion?.stop();
    await tracing?.shutdown().catch(() => undefined);
    await handle.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  logger.error({ err: error }, 'job worker failed');
  process.exit(1);
});
