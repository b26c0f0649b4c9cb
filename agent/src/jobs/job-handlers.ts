import { claimDocumentForIngestion, type Db, failIngestion, getDealershipUser, getScenarioOfOwner, isAppError, markScorecardFailed } from '@avatar-adam/db';
import { deadLetterOf, QUEUES, ZIngestDocumentJob, ZKeepGreetingJob, ZScoreSessionJob, ZSendEmailJob } from '@avatar-adam/db/job-queue';
import type { TMailTransport } from '@avatar-adam/db/job-queue-mail';
import { context } from '@opentelemetry/api';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { personaGreeting } from '../prompts/greeting';
import type { TJudge } from '../scoring/judge';
import type { TKeepOutcome } from '../session/greeting-audio';
import { scoreSession } from '../scoring/score-session';
import { parentContextFromMetadata } from '../tracing/job-trace';
import { INTERNAL_FAILURE_REASON } from './ingest';
import { CRASH_REASON, type createIngestionRunner } from './ingest-runner';
import type { TJobMetrics } from './job-metrics';

export type TJobDeps = {
  db: Db;
  logger: Logger;
  /** Null when documents cannot be indexed here (no database server for the indexing process). */
  ingestion: ReturnType<typeof createIngestionRunner> | null;
  mail: TMailTransport;
  judge?: TJudge;
  /** Wait and run time of every job, when the worker serves metrics. */
  metrics?: TJobMetrics;
  /** Synthesises and keeps a greeting (session/greeting-audio.ts); null when AGENT_GREETING_CACHE=off. */
  greetings?: { keep(greeting: { text: string; voiceHint: string }): Promise<TKeepOutcome> } | null;
};

type TJob = PgBoss.JobWithMetadata<unknown>;
const errorMessage = (output: unknown) =>
  output && typeof output === 'object' && 'message' in output ? String((output as { message: unknown }).message) : JSON.stringify(output ?? null);

/**
 * The work of each queue. Payloads are validated again here (a job is data from the database,
 * not trusted input), and tenant data is re-checked against the job's dealership by the domain
 * functions themselves: a mismatch is `refused` (logged, stored as the job's result, nothing
 * changed) rather than retried, since retrying cannot make it match. Anything else that throws
 * is retried with backoff by pg-boss and, once retries are used up, dead-lettered.
 */
export const jobHandlers = {
  async [QUEUES.ingestDocument](deps: TJobDeps, job: TJob) {
    const data = ZIngestDocumentJob.parse(job.data);
    if (!deps.ingestion) throw new Error('document indexing needs a database server: set DATABASE_URL or run through `npm run dev`');
    const result = await deps.ingestion.ingest(data);
    if (result.status === 'refused') deps.logger.warn({ jobId: job.id, ...data, reason: result.reason }, 'ingestion job refused');
    return { status: result.status, reason: 'reason' in result ? result.reason : undefined };
  },

  async [QUEUES.scoreSession](deps: TJobDeps, job: TJob) {
    const { traceparent, tracestate, ...data } = ZScoreSessionJob.parse(job.data);
    try {
      // In the trace of the session that ended (when tracing is on): `session.score` nests there.
      const parent = parentContextFromMetadata(JSON.stringify({ traceparent, tracestate }));
      const card = await context.with(parent, () => scoreSession({ db: deps.db, ...data, judge: deps.judge }));
      deps.logger.info({ jobId: job.id, sessionId: data.sessionId, overallScore: card.overallScore, queuedMs: Date.now() - job.createdOn.getTime() }, 'scorecard stored');
      return { status: 'scored' };
    } catch (error) {
      if (!isAppError(error) || error.code !== 'NOT_FOUND') throw error;
      deps.logger.warn({ jobId: job.id, ...data }, 'scoring job refused: no such session for this dealership');
      return { status: 'refused', reason: 'no such session for this dealership' };
    }
  },

  async [QUEUES.sendEmail](deps: TJobDeps, job: TJob) {
    await deps.mail.deliver(ZSendEmailJob.parse(job.data));
    return { status: 'sent' };
  },

  async [QUEUES.keepGreeting](deps: TJobDeps, job: TJob) {
    const data = ZKeepGreetingJob.parse(job.data);
    if (!deps.greetings) return { status: 'skipped', reason: 'greetings are not kept (AGENT_GREETING_CACHE=off)' };
    const refuse = (reason: string) => {
      deps.logger.warn({ jobId: job.id, ...data, reason }, 'greeting job refused');
      return { status: 'refused', reason };
    };
    const scenario = await getScenarioOfOwner({ db: deps.db, scenarioId: data.scenarioId, dealershipId: data.dealershipId });
    if (!scenario) return refuse('no such scenario for this owner');
    let traineeName = '';
    if (scenario.mode === 'coach') {
      // A coach greeting names the trainee, who must belong to a dealership that sees the scenario.
      if (!data.trainee) return { status: 'skipped', reason: 'a coach greeting needs the trainee' };
      if (scenario.dealershipId !== null && scenario.dealershipId !== data.trainee.dealershipId) return refuse('the trainee cannot see this scenario');
      const trainee = await getDealershipUser({ db: deps.db, dealershipId: data.trainee.dealershipId, userId: data.trainee.id });
      if (!trainee) return refuse('no such trainee in this dealership');
      traineeName = trainee.name;
    }
    const started = Date.now();
    const outcome = await deps.greetings.keep({ text: personaGreeting(scenario, traineeName), voiceHint: scenario.persona.voice });
    deps.logger.info({ jobId: job.id, scenarioId: data.scenarioId, mode: scenario.mode, outcome, ms: Date.now() - started }, 'greeting ready ahead of the first session');
    return { status: outcome };
  },
};

/**
 * What happens when a job's retries are used up: the document ends `failed` (nothing
 * half-indexed: failIngestion removes passages in one transaction), the scorecard ends `failed`
 * with the reason shown to the trainee's manager, an email is logged as lost. The dead job keeps
 * the last error and this resolution, for the health page.
 */
export const deadLetterHandlers = {
  async [QUEUES.ingestDocument](deps: TJobDeps, job: TJob) {
    const data = ZIngestDocumentJob.parse(job.data);
    const crashed = (job.output as { name?: string } | null)?.name === 'IngestionCrashed';
    const claim = await claimDocumentForIngestion({ db: deps.db, ...data });
    if (claim.status === 'claimed') await failIngestion({ db: deps.db, ...data, reason: crashed ? CRASH_REASON : INTERNAL_FAILURE_REASON });
    deps.logger.error({ jobId: job.id, ...data, error: errorMessage(job.output) }, 'document ingestion gave up');
    return { error: job.output, resolution: claim.status === 'claimed' ? 'document marked failed' : `left as is (${claim.status})` };
  },

  async [QUEUES.scoreSession](deps: TJobDeps, job: TJob) {
    const data = ZScoreSessionJob.parse(job.data);
    const reason = `Scoring failed after ${job.retryLimit + 1} attempts: ${errorMessage(job.output)}`;
    let resolution = 'scorecard marked failed';
    try {
      await markScorecardFailed({ db: deps.db, ...data, error: reason });
    } catch (error) {
      if (!isAppError(error) || error.code !== 'NOT_FOUND') throw error;
      resolution = 'refused: no such session for this dealership';
    }
    deps.logger.error({ jobId: job.id, ...data, error: errorMessage(job.output) }, 'scoring gave up');
    return { error: job.output, resolution };
  },

  async [QUEUES.sendEmail](deps: TJobDeps, job: TJob) {
    const data = ZSendEmailJob.parse(job.data);
    deps.logger.error({ jobId: job.id, kind: data.kind, recipient: data.to, error: errorMessage(job.output) }, 'email could not be delivered; giving up');
    return { error: job.output, resolution: 'not delivered' };
  },

  async [QUEUES.keepGreeting](deps: TJobDeps, job: TJob) {
    const data = ZKeepGreetingJob.parse(job.data);
    deps.logger.error({ jobId: job.id, ...data, error: errorMessage(job.output) }, 'greeting could not be synthesised ahead; its first session will');
    return { error: job.output, resolution: 'not kept: the first session synthesises the greeting' };
  },
};

/** Registers every queue's handler and its dead-letter handler on a started pg-boss. */
export async function workJobs(boss: PgBoss, deps: TJobDeps): Promise<void> {
  for (const queue of Object.values(QUEUES)) {
    await boss.work(queue, { includeMetadata: true }, async ([job]) => {
      const startedAt = Date.now();
      try {
        const result = await jobHandlers[queue](deps, job!);
        deps.metrics?.observe(queue, job!, startedAt, 'ok');
        return result;
      } catch (error) {
        deps.metrics?.observe(queue, job!, startedAt, 'error');
        throw error;
      }
    });
    // A dead job carries the failed job's data, last error (output) and retry limit.
    await boss.work(deadLetterOf(queue), { includeMetadata: true, pollingIntervalSeconds: 2 }, async ([job]) => deadLetterHandlers[queue](deps, job!));
  }
}
