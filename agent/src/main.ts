import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type JobProcess, ServerOptions, cli, defineAgent, initializeLogger, log } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { env } from './env';
import { skipLocalInferenceRunners } from './inference-runners';
import { ProviderConfigError } from './providers/config';
import { forkJobProcessesAtIdlePriority, restoreNormalPriority } from './process-priority';
import { logProviderPlan, resolveProviders } from './providers/plan';
import type { TEnginesLoad, TProcData } from './session/run-session';
import { runInJobTrace } from './tracing/job-trace';
import type { TAgentTracing } from './tracing/provider';
import { warmProcessesOption } from './warm-processes';
import { sessionLoad } from './worker-load';

const VAD_MIN_SILENCE_MS = 300;

/**
 * Traces leave this process (a job process, or the supervisor with its maintenance passes) only
 * when a collector is configured; otherwise nothing is loaded and every span is a no-op.
 */
async function registerTracingIfConfigured(): Promise<TAgentTracing | undefined> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const { registerAgentTracing } = await import('./tracing/provider');
  return registerAgentTracing({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
}

/** The worker's shared voice, when it serves one: started at each dispatch (`requestFunc`). */
let sharedVoice: { warm(): void } | undefined;

/**
 * The local Piper voice, loaded once in a process of its own that every job process of this
 * worker synthesises through (voice-server/), instead of ~180 MB of weights and onnxruntime
 * buffers in each job process. The worker listens on its socket before it registers, so the job
 * processes it forks inherit where to find it; the voice process starts when a session is
 * dispatched (or a job process connects) and exits after AGENT_SHARED_VOICE_IDLE_SECONDS without one.
 */
async function startSharedVoiceIfLocal(resolved: Awaited<ReturnType<typeof resolveProviders>>): Promise<void> {
  const voice = resolved.files.piper;
  if (env.AGENT_SHARED_VOICE !== 'on' || !voice || !resolved.plan.tts.chain.some((c) => c.engine === 'piper')) return;
  const { SHARED_VOICE_SOCKET_ENV, serveSharedVoice } = await import('./voice-server/supervisor');
  const here = path.dirname(thisFile);
  // The bundle has it as an entry of its own (scripts/lib/agent-bundle.ts); under tsx, the source.
  const entry = thisFile.endsWith('.ts') ? path.join(here, 'voice-server', 'voice-server-main.ts') : path.join(here, 'voice-server-main.mjs');
  const logger = log().child({ task: 'shared-voice' });
  try {
    const shared = await serveSharedVoice({ entry, logger, voice, idleExitMs: env.AGENT_SHARED_VOICE_IDLE_SECONDS * 1000 });
    process.env[SHARED_VOICE_SOCKET_ENV] = shared.socketPath;
    sharedVoice = shared;
  } catch (error) {
    logger.warn({ error }, 'the shared voice did not start: each job process loads its own');
  }
}

/** Session code (engines) is loaded by job processes only, never by the supervisor. */
const loadSession = () => import('./session/run-session');

/**
 * The supervisor's background duty (reaping abandoned sessions), on its own database connection.
 * Scoring and document indexing are jobs of the job worker (`npm run jobs`, jobs/worker-main.ts).
 * Loaded here only: job processes import this file too.
 */
async function startWorkerMaintenance(): Promise<void> {
  const [{ createDb }, { startMaintenance }, { sessionLossTimings }] = await Promise.all([
    import('@avatar-adam/db'),
    import('./jobs/maintenance'),
    import('./session/lifecycle'),
  ]);
  let db: Awaited<ReturnType<typeof createDb>>['db'];
  try {
    ({ db } = await createDb({ url: env.DATABASE_URL }));
  } catch (error) {
    process.stderr.write(`Agent cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const { maintenanceIntervalMs, reapAfterMs } = sessionLossTimings(env.AGENT_SESSION_LOST_SECONDS);
  startMaintenance({ db, logger: log().child({ task: 'maintenance' }), intervalMs: maintenanceIntervalMs, heartbeatTimeoutMs: reapAfterMs });
}

/**
 * The process's engines (VAD, speech engines); a failure is kept, not thrown: the pool would
 * restart the process in a loop, while a session given to it can end with the reason recorded.
 */
async function loadEngines(): Promise<TEnginesLoad> {
  try {
    const [vad, resolved, session] = await Promise.all([
      // 300 ms of silence ends a speech segment (default 550): the recogniser starts that much
      // sooner, and the scenario's endpointing delay, not the VAD, decides how patient the turn is.
      silero.VAD.load({ minSilenceDuration: VAD_MIN_SILENCE_MS }),
      resolveProviders(),
      loadSession(),
    ]);
    return await session.loadEnginesForProcess({ resolved, vad });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log().error({ error }, `job process engines failed to load: ${message}`);
    return { ok: false, error: message };
  }
}

export default defineAgent<TProcData>({
  // A warm job process (AGENT_WARM_PROCESSES ≥ 1) starts before a job arrives, so a dispatch does
  // not wait for Node and module loading; with AGENT_WARM_ENGINES=on it also holds the models the
  // greeting needs (VAD, voices). Otherwise the engines load when the job starts, while it loads
  // its session and joins the room (the voice only when the greeting is not kept as audio:
  // session/greeting-audio.ts); without a warm pool the process is started for a waiting session
  // and starts loading them at once. The local LLM's weights load once the greeting plays
  // (providers/index.ts): the first reply comes after it.
  prewarm: async (proc: JobProcess<TProcData>) => {
    proc.userData.tracing = await registerTracingIfConfigured();
    let loading: Promise<TEnginesLoad> | undefined;
    proc.userData.engines = () => (loading ??= loadEngines());
    if (env.AGENT_WARM_PROCESSES === 0) {
      void proc.userData.engines();
      return;
    }
    if (env.AGENT_WARM_ENGINES === 'on') {
      const loaded = await proc.userData.engines();
      // A voice that fails here is tried again by the session, which then reports it.
      if (loaded.ok) await loaded.engines.loadVoices().catch((error: unknown) => log().warn({ error }, 'the local voice did not load'));
      (await loadSession()).prepareWhileWaiting();
    } else {
      // The session's code, not its engines; the flite voices are probed while the process waits.
      (await loadSession()).prepareWhileWaiting();
    }
    log().info({ engines: env.AGENT_WARM_ENGINES === 'on' ? 'loaded' : 'with the session' }, 'job process ready');
  },
  entry: async (ctx) => {
    restoreNormalPriority();
    void ctx.proc.userData.engines();
    const session = await loadSession();
    // The job's spans join the trace of the web request that dispatched it (metadata traceparent).
    return runInJobTrace(ctx, ctx.proc.userData.tracing, () => session.runPracticeSession(ctx));
  },
});

/**
 * Job processes import this file for the default export, so the CLI runs only when this is the
 * started script (`tsx src/main.ts start`, `node --import tsx src/main.ts start`). Job processes
 * inherit the tsx loader through execArgv.
 */
const thisFile = fileURLToPath(import.meta.url);
const isWorkerCli = Boolean(process.argv[1] && realpathSync(process.argv[1]) === thisFile);
if (isWorkerCli) {
  initializeLogger({ pretty: process.argv[2] !== 'start', level: env.LOG_LEVEL });
  let resolved: Awaited<ReturnType<typeof resolveProviders>>;
  try {
    // Settings are checked and the engines chosen once, before registering: a worker that
    // cannot talk never takes a session.
    resolved = await resolveProviders();
    logProviderPlan(resolved.plan);
    // Before the first pass, so every maintenance pass is traced. The batch exporter sends spans
    // each second; at most the last second's are lost when the worker exits.
    await registerTracingIfConfigured();
    await startWorkerMaintenance();
  } catch (error) {
    if (!(error instanceof ProviderConfigError)) throw error;
    process.stderr.write(`Agent cannot start: ${error.message}\n`);
    process.exit(1);
  }
  await startSharedVoiceIfLocal(resolved);
  skipLocalInferenceRunners();
  // Warm job processes start at a lower priority than live sessions; one forked for a waiting session does not.
  if (env.AGENT_WARM_PROCESSES > 0) forkJobProcessesAtIdlePriority(env.AGENT_WARM_PROCESSES);
  // Before runApp: the job processes it forks inherit where to send their metrics.
  const { startAgentMetrics } = await import('./metrics');
  await startAgentMetrics({ port: env.AGENT_METRICS_PORT, token: env.METRICS_TOKEN, logger: log().child({ task: 'metrics' }) });
  cli.runApp(
    new ServerOptions({
      agent: thisFile,
      agentName: env.AGENT_NAME,
      wsURL: env.LIVEKIT_URL,
      apiKey: env.LIVEKIT_API_KEY,
      apiSecret: env.LIVEKIT_API_SECRET,
      logLevel: env.LOG_LEVEL,
      port: env.AGENT_HTTP_PORT,
      // One warm job process by default (agents-js's production default is one per core, up to
      // 4), holding only the code (~155 MB; ~310 MB with AGENT_WARM_ENGINES=on); the pool has the
      // next one ready ~0.5 s after a dispatch. AGENT_WARM_PROCESSES trades idle memory for the
      // greeting's delay (0: none, each session starts its own process and greets ~0.4 s later).
      numIdleProcesses: warmProcessesOption(env.AGENT_WARM_PROCESSES),
      // A job process boots in ~3 s under tsx on 2 cores; the 10 s default leaves little room
      // when the machine is busy, and a timed-out process is killed and started again.
      initializeProcessTimeout: 30_000,
      loadFunc: async (server) => sessionLoad(server.activeJobs.length),
      // A dispatched session will want the voice within seconds: the shared voice process (if it
      // is not running) starts loading now, beside the job's own start, not when it first speaks.
      requestFunc: async (request) => {
        sharedVoice?.warm();
        await request.accept();
      },
    }),
  );
}
