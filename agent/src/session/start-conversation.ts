import { type Db, type TCitation, listSessionTurns, type loadSessionForAgent, markSessionLive } from '@avatar-adam/db';
import { type JobContext, type log, voice } from '@livekit/agents';
import { RoomEvent, type RemoteParticipant } from '@livekit/rtc-node';
import { CoachAgent } from '../agents/coach';
import { CustomerAgent } from '../agents/customer';
import { env } from '../env';
import { createSessionEngines } from '../providers';
import { embedMissingPassages } from '../tools/knowledge';
import { questionEmbeddings } from '../cache/query-embeddings';
import { enforceConversationLimits } from './lifecycle';
import { lowerPriorityWhileFinishing } from '../process-priority';
import type { TSessionData } from './metadata';
import { TurnRecorder } from './recorder';
import { FALSE_INTERRUPTION_TIMEOUT_MS, SUSTAINED_SPEECH_MS, shortSoundResume } from './barge-in';
import { TranscriptTurnDetector } from './turn-detector';
import { recordingOptions, storeSessionAudio } from './audio-recording';
import { greetingAudioStore, prepareGreetingAudio } from './greeting-audio';
import { personaGreeting } from '../prompts/greeting';
import { type TMetricSink, discardMetrics } from '../metrics/events';
import { recordGreeting } from '../metrics/session-metrics';
import type { TProcData } from './run-session';
import type { TEndReason, TEndSession } from './session-end';

export type TLoadedSession = Awaited<ReturnType<typeof loadSessionForAgent>>;
/** Set by the conversation: what to finish before the job ends the session and closes the database. */
export type TDrain = { run: () => Promise<void> };

/**
 * Joins the room, waits for the trainee and starts the voice session whose persona greets them.
 * Returns once the session runs; from then on room and session events drive the lifecycle.
 */
export async function startConversation(opts: {
  ctx: JobContext<TProcData>;
  db: Db;
  loaded: TLoadedSession;
  endSession: TEndSession;
  logger: ReturnType<typeof log>;
  jobStartedAt: number;
  drain: TDrain;
  /** Where the session's latency figures go (the supervisor's /metrics); nowhere when not given. */
  metrics?: TMetricSink;
  /** The room connection the job started early; connects here otherwise. */
  connected?: Promise<void>;
}): Promise<void> {
  const { ctx, db, loaded, endSession, logger } = opts;
  const metrics = opts.metrics ?? discardMetrics;
  const { session, scenario } = loaded;

  // The local voice loads once per process: at once when the greeting must be synthesised, or
  // while a kept recording of it plays (greeting-audio.ts). A synthesis waits for it either way.
  let startVoices = () => {};
  // Joining the room does not wait for the engines (still loading in a process started for this session).
  const [{ loadedEngines, engines, greetingAudio }] = await Promise.all([
    ctx.proc.userData.engines().then(async (loadedEngines) => {
      if (!loadedEngines.ok) throw new Error(`speech and language engines unavailable: ${loadedEngines.error}`);
      const engines = await createSessionEngines(loadedEngines.engines, {
        voiceHint: scenario.persona.voice,
        fallbackVoice: env.AGENT_TTS_VOICE_DEFAULT,
      });
      let voices: Promise<void> | undefined;
      startVoices = () => {
        voices ??= loadedEngines.engines.loadVoices().catch((error: unknown) => logger.error({ error }, 'the local voice did not load'));
      };
      const greetingAudio = await prepareGreetingAudio({
        store: greetingAudioStore(),
        tts: engines.tts,
        text: personaGreeting(scenario, loaded.trainee.name),
        logger,
      });
      if (!greetingAudio.recorded) startVoices();
      logger.info({ kept: greetingAudio.recorded !== null }, 'greeting audio');
      return { loadedEngines, engines, greetingAudio };
    }),
    opts.connected ?? ctx.connect(),
  ]);

  // Web trainees join with their user id as identity; other channels (phone) have their own.
  const identity = session.channel === 'web' ? session.traineeId : undefined;
  let trainee: RemoteParticipant;
  try {
    const joined = await waitForTrainee(ctx, identity, env.AGENT_TRAINEE_JOIN_SECONDS * 1000);
    if (!joined) {
      logger.warn({ waitedSeconds: env.AGENT_TRAINEE_JOIN_SECONDS }, 'the trainee never joined; ending the session');
      await endSession('trainee_no_show');
      ctx.shutdown('trainee never joined');
      return;
    }
    trainee = joined;
  } catch (error) {
    logger.info({ error }, 'room closed before the trainee joined');
    return;
  }

  const userData: TSessionData = {
    sessionId: session.id,
    mode: session.mode,
    scenarioId: session.scenarioId,
    dealershipId: session.dealershipId,
    roomName: session.roomName,
    pendingCitations: [],
  };
  const earlier = await listSessionTurns({ db, sessionId: session.id, dealershipId: session.dealershipId });
  const recorder = new TurnRecorder({
    db,
    recordedBefore: earlier.at(-1)?.sequence ?? 0,
    sessionId: session.id,
    dealershipId: session.dealershipId,
    logger,
    takeCitations: () => userData.pendingCitations.splice(0),
    metrics,
  });
  // Turns still being written when the session ends are awaited before it is closed: ending it
  // stores its `score-session` job in the same transaction, and the job worker scores it.
  const finish = async (reason: TEndReason, status?: 'ended' | 'failed') => {
    await drainConversation();
    await endSession(reason, status);
  };


  const agentSession = new voice.AgentSession<TSessionData>({
    vad: loadedEngines.vad,
    stt: engines.stt,
    llm: engines.llm,
    tts: engines.tts,
    userData,
    // After this much silence from both sides the trainee counts as away: the idle check-in.
    userAwayTimeout: env.AGENT_IDLE_SECONDS,
    // agents-js ignores barge-ins for the first 3 s the agent speaks, so the trainee's echo
    // canceller can converge; browsers' converges well within 1.5 s, and a trainee who cuts in
    // early in the greeting should be heard.
    aecWarmupDuration: 1500,
    // Explicit modes: the defaults reach for LiveKit Cloud inference (turn detector, adaptive
    // interruption) in dev mode, which a self-hosted deployment does not have.
    turnHandling: {
      // The scenario's patience: its shortest wait when the transcript sounds finished, up to its
      // longest when it trails off (see turn-detector.ts); the VAD's silence alone with `vad`.
      turnDetection: env.AGENT_TURN_DETECTION === 'transcript' ? new TranscriptTurnDetector() : 'vad',
      // A barge-in pauses the agent after AGENT_INTERRUPTION_MIN_MS of speech, quickly, because a
      // pause is cheap: if no words follow within a second (a chair, a "mm-hm" — see
      // agents/backchannel.ts) it resumes the same sentence instead of dropping it, and a sound
      // shorter than AGENT_SHORT_SOUND_MS (a cough, a click) as soon as the VAD has ended it.
      interruption: {
        mode: 'vad',
        minDuration: env.AGENT_INTERRUPTION_MIN_MS,
        resumeFalseInterruption: true,
        falseInterruptionTimeout: FALSE_INTERRUPTION_TIMEOUT_MS,
        shortSpeechResume: shortSoundResume(env.AGENT_SHORT_SOUND_MS),
        // and talking on over a paused reply interrupts it without waiting for the words
        sustainedSpeechInterrupt: SUSTAINED_SPEECH_MS,
      },
      endpointing: {
        minDelay: scenario.patience.minEndpointingDelayMs,
        maxDelay: scenario.patience.maxEndpointingDelayMs,
      },
    },
  });

  const agent =
    scenario.mode === 'coach'
      ? new CoachAgent({
          persona: scenario.persona,
          traineeName: loaded.trainee.name,
          knowledge: {
            db,
            dealershipId: session.dealershipId,
            // Questions only (passages are embedded below, uncached): a repeated question is a lookup.
            embeddings: questionEmbeddings(loadedEngines.engines.embeddings, session.dealershipId),
            logger,
            onCitations: (citations) => {
              userData.pendingCitations = citations;
              publishCitations(ctx, citations, logger);
            },
          },
        })
      : new CustomerAgent(scenario, { seed: session.id });
  agent.useGreetingAudio(greetingAudio);

  const recordAudio = env.SESSION_AUDIO_RECORDING === 'on';
  let recordingStartedAt = new Date();
  // Closing the voice session commits the turn in progress (an agent reply cut off by the
  // trainee leaving is stored as heard) and finishes the audio file; then every queued turn
  // write is awaited and the audio stored. Once, whichever end gets here first.
  let draining: Promise<void> | undefined;
  const drainConversation = () =>
    (draining ??= (async () => {
      lowerPriorityWhileFinishing();
      await agentSession.close().catch((error: unknown) => logger.warn({ error }, 'closing the voice session failed'));
      await recorder.flush();
      if (recordAudio) {
        const where = { sessionId: session.id, dealershipId: session.dealershipId };
        await storeSessionAudio({ db, ...where, sessionDirectory: ctx.sessionDirectory, startedAt: recordingStartedAt, logger });
      }
    })());
  opts.drain.run = drainConversation;
  ctx.room.on(RoomEvent.ParticipantDisconnected, (participant: RemoteParticipant) => {
    if (participant.identity !== trainee.identity) return;
    logger.info('trainee left the room');
    void finish('trainee_left').finally(() => ctx.shutdown('trainee left'));
  });

  // Warm-ups wait until the greeting has played (or the trainee cuts in): run while it plays, they
  // took the CPU from its synthesis and from the audio loop on 2 cores. They are the speech
  // recogniser's worker, the local model evaluating the persona's instructions (a few CPU-seconds,
  // so the first turn only costs its own tokens) and, for Adam, embedding new passages.
  let warmedUp = false;
  const warmUp = () => {
    // A trainee who leaves during the greeting stops it, which would otherwise start the warm-ups:
    // seconds of CPU for engines nobody will use, taken from ending this session and from others.
    if (warmedUp || draining) return;
    warmedUp = true;
    startVoices();
    loadedEngines.engines.warmUp().catch((error: unknown) => {
      logger.error({ error }, 'speech recogniser failed to start');
    });
    const instructions = agent.instructions;
    engines.llama?.preload(typeof instructions === 'string' ? instructions : instructions.value).catch((error: unknown) => {
      logger.warn({ error }, 'could not evaluate the instructions ahead of the first turn');
    });
    const embeddings = loadedEngines.engines.embeddings;
    if (scenario.mode === 'coach' && embeddings) {
      embedMissingPassages({ db, dealershipId: session.dealershipId, embeddings }).then(
        (embedded) => embedded > 0 && logger.info({ embedded, model: embeddings.id }, 'knowledge passages embedded'),
        (error: unknown) => logger.warn({ error }, 'could not embed knowledge passages; retrieval uses full text'),
      );
    }
  };

  let greetingStarted = false;
  agentSession.on(voice.AgentSessionEventTypes.UserStateChanged, (ev) => {
    logger.debug({ from: ev.oldState, to: ev.newState }, 'user state');
    if (ev.newState === 'speaking') warmUp();
  });
  agentSession.on(voice.AgentSessionEventTypes.AgentStateChanged, (ev) => {
    logger.debug({ from: ev.oldState, to: ev.newState }, 'agent state');
    if (greetingStarted && ev.oldState === 'speaking') warmUp();
    if (ev.newState !== 'speaking' || greetingStarted) return;
    greetingStarted = true;
    logger.info({ sinceJobStartMs: Date.now() - opts.jobStartedAt }, 'greeting started');
    // The local model's weights (~1 s of CPU), and the voice if the greeting was kept, load while
    // the greeting plays: before its first audio they would slow it, after it the first reply
    // would wait for them. From its first frame, not later: a trainee who cuts into the greeting
    // (1.5 s in, once the echo canceller has converged) must find the loading done or nearly,
    // or it takes the CPU from the VAD that has to notice them (a 1.2 s delay made barge-in on
    // the greeting miss its 2 s bound on a slower CI host).
    startVoices();
    engines.llama?.startLoading();
    // A phone caller's wait includes dialling and the PIN: only web sessions measure the dispatch.
    if (session.channel === 'web') recordGreeting(metrics, { dispatchedAtMs: dispatchedAt(ctx, opts.jobStartedAt), greetedAtMs: Date.now() });
    markSessionLive({ db, sessionId: session.id }).catch((error: unknown) => {
      logger.error({ error }, 'could not mark the practice session live');
    });
  });
  agentSession.on(voice.AgentSessionEventTypes.Error, ({ error: ev }) => {
    const cause = ev instanceof Error ? ev : ev.error;
    const fields = { errorType: ev.type, label: ev.label, recoverable: ev.recoverable };
    logger.error({ error: cause, ...fields }, 'voice session error');
  });
  // A session that gave up on errors would leave the trainee in a silent room.
  agentSession.on(voice.AgentSessionEventTypes.Close, (ev) => {
    if (ev.reason !== voice.CloseReason.ERROR) return;
    void finish('agent_error', 'failed').finally(() => ctx.shutdown('voice session error'));
  });

  agentSession.on(voice.AgentSessionEventTypes.ConversationItemAdded, ({ item }) => {
    if (item.type !== 'message') return;
    logger.debug({ role: item.role, interrupted: item.interrupted, text: item.textContent }, 'turn committed');
    recorder.record(item);
  });
  agentSession.on(voice.AgentSessionEventTypes.AgentFalseInterruption, (ev) => {
    logger.debug({ resumed: ev.resumed }, 'false interruption');
  });

  recordingStartedAt = new Date();
  await agentSession.start({
    agent,
    room: ctx.room,
    inputOptions: { participantIdentity: trainee.identity },
    outputOptions: { holdAudioOnPause: env.AGENT_PAUSE_HOLDS_AUDIO === 'on' },
    // The audio file is written under ctx.sessionDirectory and stored with the session when it ends.
    record: recordingOptions(recordAudio),
  });
  const stopLimits = enforceConversationLimits({
    session: agentSession,
    limits: {
      idleAfterSeconds: env.AGENT_IDLE_SECONDS,
      maxIdlePrompts: 2,
      maxSessionMinutes: env.AGENT_MAX_SESSION_MINUTES,
    },
    end: (reason) => void finish(reason).finally(() => ctx.shutdown(reason)),
    logger,
  });
  ctx.addShutdownCallback(async () => stopLimits());
  logger.info(
    { mode: scenario.mode, persona: scenario.persona.name, engines: engines.describe, pid: process.pid },
    'practice session started',
  );
}

/**
 * When the room was created: `session.start` creates it with the agent dispatch in one call, so
 * this is when the trainee pressed "Start practice". Falls back to the job's start on a server
 * that does not report it.
 */
function dispatchedAt(ctx: JobContext<TProcData>, fallbackMs: number): number {
  const createdMs = Number(ctx.job.room?.creationTimeMs ?? 0n) || Number(ctx.job.room?.creationTime ?? 0n) * 1000;
  return createdMs > 0 ? createdMs : fallbackMs;
}

/** The web app shows the sources of the answer being spoken from this participant attribute. */
export const CITATIONS_ATTRIBUTE = 'adam.citations';

function publishCitations(ctx: JobContext<TProcData>, citations: TCitation[], logger: ReturnType<typeof log>): void {
  ctx.room.localParticipant
    ?.setAttributes({ [CITATIONS_ATTRIBUTE]: JSON.stringify(citations) })
    .catch((error: unknown) => logger.warn({ error }, 'could not publish citations'));
}

/**
 * The trainee's participant, or null when they have not joined within `timeoutMs`. Rejects when the
 * room closes first (agents-js `waitForParticipant`).
 */
async function waitForTrainee(ctx: JobContext<TProcData>, identity: string | undefined, timeoutMs: number): Promise<RemoteParticipant | null> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    return await Promise.race([ctx.waitForParticipant(identity), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
