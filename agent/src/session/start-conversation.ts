import { type Db, type loadSessionForAgent, markSessionLive } from '@avatar-adam/db';
import { type JobContext, type log, voice } from '@livekit/agents';
import { RoomEvent, type RemoteParticipant } from '@livekit/rtc-node';
import { CoachAgent } from '../agents/coach';
import { CustomerAgent } from '../agents/customer';
import { env } from '../env';
import { createSessionEngines } from '../providers';
import type { TSessionData } from './metadata';
import type { TProcData } from './run-session';
import type { TEndSession } from './session-end';

export type TLoadedSession = Awaited<ReturnType<typeof loadSessionForAgent>>;

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
}): Promise<void> {
  const { ctx, db, loaded, endSession, logger } = opts;
  const { session, scenario } = loaded;

  const loadedEngines = ctx.proc.userData.engines;
  if (!loadedEngines.ok) throw new Error(`speech and language engines unavailable: ${loadedEngines.error}`);
  const [engines] = await Promise.all([
    createSessionEngines(loadedEngines.engines, {
      voiceHint: scenario.persona.voice,
      fallbackVoice: env.AGENT_TTS_VOICE_DEFAULT,
    }),
    ctx.connect(),
  ]);

  // Web trainees join with their user id as identity; other channels (phone) have their own.
  const identity = session.channel === 'web' ? session.traineeId : undefined;
  let trainee: RemoteParticipant;
  try {
    trainee = await ctx.waitForParticipant(identity);
  } catch (error) {
    logger.info({ error }, 'room closed before the trainee joined');
    return;
  }
  ctx.room.on(RoomEvent.ParticipantDisconnected, (participant: RemoteParticipant) => {
    if (participant.identity !== trainee.identity) return;
    logger.info('trainee left the room');
    void endSession('trainee_left').finally(() => ctx.shutdown('trainee left'));
  });

  const agentSession = new voice.AgentSession<TSessionData>({
    vad: ctx.proc.userData.vad,
    stt: engines.stt,
    llm: engines.llm,
    tts: engines.tts,
    userData: {
      sessionId: session.id,
      mode: session.mode,
      scenarioId: session.scenarioId,
      dealershipId: session.dealershipId,
      roomName: session.roomName,
    },
    // Explicit modes: the defaults reach for LiveKit Cloud inference (turn detector, adaptive
    // interruption) in dev mode, which a self-hosted deployment does not have.
    turnHandling: {
      turnDetection: 'vad',
      interruption: { mode: 'vad' },
      endpointing: {
        minDelay: scenario.patience.minEndpointingDelayMs,
        maxDelay: scenario.patience.maxEndpointingDelayMs,
      },
    },
  });

  const agent =
    scenario.mode === 'coach'
      ? new CoachAgent({ persona: scenario.persona, traineeName: loaded.trainee.name })
      : new CustomerAgent(scenario);

  let greetingStarted = false;
  agentSession.on(voice.AgentSessionEventTypes.UserStateChanged, (ev) => {
    logger.debug({ from: ev.oldState, to: ev.newState }, 'user state');
  });
  agentSession.on(voice.AgentSessionEventTypes.AgentStateChanged, (ev) => {
    logger.debug({ from: ev.oldState, to: ev.newState }, 'agent state');
    if (ev.newState !== 'speaking' || greetingStarted) return;
    greetingStarted = true;
    logger.info({ sinceJobStartMs: Date.now() - opts.jobStartedAt }, 'greeting started');
    markSessionLive({ db, sessionId: session.id }).catch((error: unknown) => {
      logger.error({ error }, 'could not mark the practice session live');
    });
    // Started once the greeting is audible, so they do not delay its first words: the speech
    // recogniser's worker, and the local model evaluating the persona's instructions (a few
    // CPU-seconds), so the trainee's first turn only costs its own tokens.
    loadedEngines.engines.warmUp().catch((error: unknown) => {
      logger.error({ error }, 'speech recogniser failed to start');
    });
    const instructions = agent.instructions;
    engines.llama?.preload(typeof instructions === 'string' ? instructions : instructions.value).catch((error: unknown) => {
      logger.warn({ error }, 'could not evaluate the instructions ahead of the first turn');
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
    void endSession('agent_error', 'failed').finally(() => ctx.shutdown('voice session error'));
  });

  agentSession.on(voice.AgentSessionEventTypes.ConversationItemAdded, ({ item }) => {
    if (item.type !== 'message') return;
    logger.debug({ role: item.role, interrupted: item.interrupted, text: item.textContent }, 'turn committed');
  });

  await agentSession.start({
    agent,
    room: ctx.room,
    inputOptions: { participantIdentity: trainee.identity },
    // Session reports and recordings upload to LiveKit Cloud; practice data stays in our database.
    record: false,
  });
  logger.info(
    { mode: scenario.mode, persona: scenario.persona.name, engines: engines.describe },
    'practice session started',
  );
}
