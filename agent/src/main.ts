import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type JobProcess, ServerOptions, cli, defineAgent, initializeLogger, log } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { env } from './env';
import { skipLocalInferenceRunners } from './inference-runners';
import { ProviderConfigError } from './providers/config';
import { lowerPriorityWhileIdle, markWorkerStart, restoreNormalPriority } from './process-priority';
import { logProviderPlan, resolveProviders } from './providers/plan';
import type { TProcData } from './session/run-session';
import { sessionLoad } from './worker-load';

const VAD_MIN_SILENCE_MS = 300;

/** Session code (engines) is loaded by job processes only, never by the supervisor. */
const loadSession = () => import('./session/run-session');

/**
 * The supervisor's background duties (reaping abandoned sessions, scoring unscored ones, indexing
 * uploaded documents), on its own database connection. Loaded here only: job processes import
 * this file too.
 */
async function startWorkerMaintenance(resolved: Awaited<ReturnType<typeof resolveProviders>>): Promise<void> {
  const [{ createDb }, { startMaintenance }, { createJudge }] = await Promise.all([
    import('@avatar-adam/db'),
    import('./jobs/maintenance'),
    import('./scoring/judge-openai'),
  ]);
  let db: Awaited<ReturnType<typeof createDb>>['db'];
  let kind: Awaited<ReturnType<typeof createDb>>['kind'];
  try {
    ({ db, kind } = await createDb({ url: env.DATABASE_URL }));
  } catch (error) {
    process.stderr.write(`Agent cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  startMaintenance({ db, logger: log().child({ task: 'maintenance' }), judge: createJudge(resolved) });
  // Uploaded documents are indexed in a child process forked when the queue has work (checked
  // every 2 s). It needs a database server: a PGlite folder opened in this process is this process's alone.
  const { startIngestion } = await import('./jobs/ingest-supervisor');
  if (kind === 'postgres') startIngestion({ db, resolved, logger: log().child({ task: 'ingest' }) });
  else log().warn('document ingestion is off: set DATABASE_URL or run through `npm run dev`, which serves the embedded database');
}

export default defineAgent<TProcData>({
  // Runs in each job process before a job arrives, so a dispatch waits for neither the models
  // (VAD, speech and language engines) nor module loading.
  prewarm: async (proc: JobProcess<TProcData>) => {
    const [vad, resolved, session] = await Promise.all([
      // 300 ms of silence ends a speech segment (default 550): the recogniser starts that much
      // sooner, and the scenario's endpointing delay, not the VAD, decides how patient the turn is.
      silero.VAD.load({ minSilenceDuration: VAD_MIN_SILENCE_MS }),
      resolveProviders(),
      loadSession(),
    ]);
    proc.userData.vad = vad;
    // A failure here is kept, not thrown: the pool would restart the process in a loop, while a
    // session given to it can end with the reason recorded.
    proc.userData.engines = await session.loadEnginesForProcess({ resolved, vad });
  },
  entry: async (ctx) => {
    restoreNormalPriority();
    return (await loadSession()).runPracticeSession(ctx);
  },
});

/**
 * Job processes import this file for the default export, so the CLI runs only when this is the
 * started script (`tsx src/main.ts start`, `node --import tsx src/main.ts start`). Job processes
 * inherit the tsx loader through execArgv.
 */
const thisFile = fileURLToPath(import.meta.url);
const isWorkerCli = Boolean(process.argv[1] && realpathSync(process.argv[1]) === thisFile);
if (!isWorkerCli) lowerPriorityWhileIdle();
if (isWorkerCli) {
  initializeLogger({ pretty: process.argv[2] !== 'start', level: env.LOG_LEVEL });
  try {
    // Settings are checked and the engines chosen once, before registering: a worker that
    // cannot talk never takes a session.
    const resolved = await resolveProviders();
    logProviderPlan(resolved.plan);
    await startWorkerMaintenance(resolved);
  } catch (error) {
    if (!(error instanceof ProviderConfigError)) throw error;
    process.stderr.write(`Agent cannot start: ${error.message}\n`);
    process.exit(1);
  }
  skipLocalInferenceRunners();
  markWorkerStart();
  cli.runApp(
    new ServerOptions({
      agent: thisFile,
      agentName: env.AGENT_NAME,
      wsURL: env.LIVEKIT_URL,
      apiKey: env.LIVEKIT_API_KEY,
      apiSecret: env.LIVEKIT_API_SECRET,
      logLevel: env.LOG_LEVEL,
      port: env.AGENT_HTTP_PORT,
      // One warm job process (the production default is one per core, up to 4): each holds
      // ~150 MB while idle, and the pool starts the next one within ~3 s of a dispatch.
      numIdleProcesses: 1,
      // A job process boots in ~3 s under tsx on 2 cores; the 10 s default leaves little room
      // when the machine is busy, and a timed-out process is killed and started again.
      initializeProcessTimeout: 30_000,
      loadFunc: async (server) => sessionLoad(server.activeJobs.length),
    }),
  );
}
