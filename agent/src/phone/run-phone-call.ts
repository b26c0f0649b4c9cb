import {
  type DbHandle,
  createDb,
  findTraineeByCallerId,
  finishPhoneCall,
  isAppError,
  loadSessionForAgent,
  openPhoneCall,
  schema,
  startPhonePracticeSession,
} from '@avatar-adam/db';
import { type JobContext, log } from '@livekit/agents';
import type { RemoteParticipant } from '@livekit/rtc-node';
import { eq } from 'drizzle-orm';
import { env } from '../env';
import { phoneLines } from '../prompts/phone';
import { createSessionEngines } from '../providers';
import { type TProcData, holdSession } from '../session/run-session';
import { PhoneGate } from './phone-gate';

/** Attributes livekit-sip sets on the caller's participant. */
const CALLER_NUMBER = 'sip.phoneNumber';
const DIALLED_NUMBER = 'sip.trunkPhoneNumber';

/**
 * A call to a dealership's practice line: answer, identify the trainee (caller ID or PIN), then run
 * the practice session like a web one, with channel `phone`. Every call leaves a `phone_calls` row
 * with its outcome; every way out hangs up (deletes the room), so nothing is left ringing.
 */
export async function runPhoneCall(ctx: JobContext<TProcData>, opts: { phoneLineId: string; jobStartedAt: number }): Promise<void> {
  const roomName = ctx.job.room?.name ?? '';
  let logger = log().child({ roomName, phoneLineId: opts.phoneLineId, channel: 'phone' });

  let handle: DbHandle;
  try {
    handle = await createDb({ url: env.DATABASE_URL });
  } catch (error) {
    logger.error({ error }, 'cannot open the database; hanging up');
    ctx.shutdown('database unavailable');
    return;
  }
  // Whatever ends the job ends the call too (deleting the room hangs up): a caller must never stay
  // on a silent line. Shutdown callbacks run concurrently, so each phase has one that does its steps
  // in order; after the hand-over, the practice session's own shutdown does them.
  let handedOver = false;
  ctx.addShutdownCallback(async () => {
    if (handedOver) return;
    await ctx.deleteRoom();
    await handle.close();
  });

  const engines = await ctx.proc.userData.engines();
  if (!engines.ok) {
    logger.error({ error: engines.error }, 'speech engines unavailable; hanging up');
    ctx.shutdown('engines unavailable');
    return;
  }
  await ctx.connect();
  let caller: RemoteParticipant;
  try {
    caller = await ctx.waitForParticipant();
  } catch (error) {
    logger.info({ error }, 'caller gone before the agent joined');
    ctx.shutdown('caller gone');
    return;
  }
  const callerNumber = caller.attributes[CALLER_NUMBER] || null;
  const calledNumber = caller.attributes[DIALLED_NUMBER] || null;
  const { call, line } = await openPhoneCall({ db: handle.db, phoneLineId: opts.phoneLineId, roomName, callerNumber, calledNumber });
  logger = logger.child({ phoneCallId: call.id, dealershipId: line?.dealershipId });
  logger.info({ callerNumber, calledNumber }, 'phone call answered');

  const voiceEngines = await createSessionEngines(engines.engines, { voiceHint: '', fallbackVoice: env.AGENT_TTS_VOICE_DEFAULT });
  // A spoken PIN must be heard exactly; a fraction of a second more per utterance does not matter here.
  engines.engines.preferAccurateStt(true);
  const gate = await PhoneGate.start({ room: ctx.room, caller, vad: engines.vad, stt: voiceEngines.stt, tts: voiceEngines.tts });
  const hangUp = async (say: string | null, reason: string) => {
    if (say) await gate.say(say).catch((error: unknown) => logger.warn({ error }, 'could not say goodbye'));
    await gate.close().catch(() => {});
    ctx.shutdown(reason);
  };
  if (!line) {
    logger.warn({ calledNumber }, 'call to a number that is not a practice line');
    return hangUp(phoneLines.unknownNumber, 'unknown number');
  }

  const [dealership] = await handle.db
    .select({ name: schema.dealerships.name, status: schema.dealerships.status })
    .from(schema.dealerships)
    .where(eq(schema.dealerships.id, line.dealershipId));
  if (dealership?.status !== 'active') {
    await finishPhoneCall({ db: handle.db, callId: call.id, outcome: 'failed' });
    logger.warn('call to the line of a suspended dealership');
    return hangUp(phoneLines.unavailable, 'dealership suspended');
  }

  const known = await findTraineeByCallerId({ db: handle.db, dealershipId: line.dealershipId, callerNumber });
  const result = known
    ? ({ kind: 'identified', trainee: known } as const)
    : await gate.identify({
        db: handle.db,
        room: ctx.room,
        caller,
        call,
        dealershipId: line.dealershipId,
        secret: env.PHONE_PIN_SECRET,
        silenceMs: env.PHONE_PIN_TIMEOUT_SECONDS * 1000,
        greeting: phoneLines.welcome(dealership.name),
        logger,
      });
  if (result.kind === 'ended') {
    await finishPhoneCall({ db: handle.db, callId: call.id, outcome: result.outcome });
    logger.info({ outcome: result.outcome }, 'phone call ended before practice');
    return hangUp(null, result.outcome);
  }

  const trainee = result.trainee;
  let loaded: Awaited<ReturnType<typeof loadSessionForAgent>>;
  try {
    const session = await startPhonePracticeSession({ db: handle.db, call, line, traineeId: trainee.id });
    loaded = await loadSessionForAgent({ db: handle.db, sessionId: session.id, dealershipId: session.dealershipId });
  } catch (error) {
    logger.error({ error, traineeId: trainee.id }, 'could not start the phone practice session');
    await finishPhoneCall({ db: handle.db, callId: call.id, outcome: 'failed' });
    return hangUp(isAppError(error) ? `Sorry. ${error.userMessage} Goodbye.` : phoneLines.unavailable, 'session start failed');
  }
  logger = logger.child({ sessionId: loaded.session.id, traineeId: trainee.id });
  logger.info({ scenarioId: loaded.scenario.id, viaCallerId: Boolean(known) }, 'caller identified');
  await gate.say(known ? `${phoneLines.welcomeBack(trainee.name)} ${phoneLines.starting(trainee.name, loaded.scenario)}` : phoneLines.starting(trainee.name, loaded.scenario));
  await gate.close();
  // The role-play's turns want the short window's speed back.
  engines.engines.preferAccurateStt(false);

  handedOver = true;
  await holdSession({
    ctx,
    db: handle.db,
    close: () => handle.close(),
    loaded,
    logger,
    jobStartedAt: opts.jobStartedAt,
    afterEnd: async () => {
      await finishPhoneCall({ db: handle.db, callId: call.id, outcome: 'practised' });
      await ctx.deleteRoom();
    },
  });
}
