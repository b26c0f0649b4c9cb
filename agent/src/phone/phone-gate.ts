import { type Db, MAX_PIN_ATTEMPTS, type TPhoneCall, type TPhoneTraineeMatch, checkPhonePin } from '@avatar-adam/db';
import { getJobContext, type log, llm, voice } from '@livekit/agents';
import { RoomEvent, type RemoteParticipant, type Room } from '@livekit/rtc-node';
import { phoneLines } from '../prompts/phone';
import { PinCollector, TranscriptWait } from './pin-input';

type Logger = ReturnType<typeof log>;

export type TGateResult =
  | { kind: 'identified'; trainee: TPhoneTraineeMatch }
  | { kind: 'ended'; outcome: 'wrong_pin' | 'no_pin' | 'hung_up' | 'failed' };

/**
 * Never answers through a language model: the caller's words are read from the recogniser's
 * final transcripts (see PhoneGate.start), and every reply is stopped.
 */
class PinEntryAgent extends voice.Agent {
  constructor() {
    super({ instructions: 'You collect a practice PIN. You never reply on your own.' });
  }

  override async onUserTurnCompleted(_chatCtx: llm.ChatContext, _message: llm.ChatMessage): Promise<void> {
    throw new voice.StopResponse();
  }
}

/**
 * How long a caller may pause inside a spoken PIN (between groups of digits) before what they
 * said is taken as their PIN.
 */
const SPOKEN_PIN_PAUSE_MS = 3000;
/** The longest a pause timer waits for the transcript of the caller's last words (see TranscriptWait). */
const TRANSCRIPT_WAIT_MS = 6000;

/**
 * The front desk of a phone call: a short voice session that speaks the prompts and takes the PIN
 * from the keypad (DTMF) or from speech. Closed before the practice session starts its own.
 */
export class PhoneGate {
  private constructor(
    private readonly session: voice.AgentSession,
    private readonly heard: { handler: (text: string) => void; transcribed: () => void },
  ) {}

  static async start(opts: { room: Room; caller: RemoteParticipant; vad: voice.AgentSessionOptions['vad']; stt: voice.AgentSessionOptions['stt']; tts: voice.AgentSessionOptions['tts'] }): Promise<PhoneGate> {
    const heard = { handler: (_text: string) => {}, transcribed: () => {} };
    const session = new voice.AgentSession({
      vad: opts.vad,
      stt: opts.stt,
      tts: opts.tts,
      // Callers who know their PIN say it over the welcome: what they say while a prompt plays is
      // transcribed (agents-js otherwise feeds the recogniser silence during uninterruptible
      // speech, and during its echo-cancel warm-up, which a phone handset does not need).
      aecWarmupDuration: 0,
      turnHandling: {
        turnDetection: 'vad',
        interruption: { mode: 'vad', discardAudioIfUninterruptible: false },
        endpointing: { minDelay: 300, maxDelay: 1500 },
      },
    });
    // Every final transcript, not only committed turns: agents-js drops a turn that ends while an
    // uninterruptible prompt plays, and callers who know their PIN say it over the welcome.
    session.on(voice.AgentSessionEventTypes.UserInputTranscribed, (ev) => {
      if (!ev.isFinal) return;
      heard.transcribed();
      if (ev.transcript.trim()) heard.handler(ev.transcript);
    });
    await session.start({
      agent: new PinEntryAgent(),
      room: opts.room,
      inputOptions: { participantIdentity: opts.caller.identity },
      record: false,
    });
    return new PhoneGate(session, heard);
  }

  async say(text: string): Promise<void> {
    await this.session.say(text, { allowInterruptions: false, addToChatCtx: false }).waitForPlayout();
  }

  async close(): Promise<void> {
    await this.session.close();
    // agents-js makes the job's first AgentSession its "primary", the only one allowed to record,
    // and keeps it after it closes. The gate is done: the practice session that follows must be
    // the primary, or it could not record the call's audio.
    const ctx = getJobContext(false);
    if (ctx?._primaryAgentSession === this.session) ctx._primaryAgentSession = undefined;
  }

  /**
   * Asks for the PIN until it matches, MAX_PIN_ATTEMPTS wrong ones were entered, the caller stays
   * silent through two reminders, or hangs up.
   */
  async identify(opts: {
    db: Db;
    room: Room;
    caller: RemoteParticipant;
    call: TPhoneCall;
    dealershipId: string;
    secret: string | undefined;
    silenceMs: number;
    /** Said once the keypad is being listened to, so digits typed during it count. */
    greeting: string;
    logger: Logger;
  }): Promise<TGateResult> {
    const { logger } = opts;
    const pins = new PinCollector();
    return new Promise<TGateResult>((resolve) => {
      let settled = false;
      let checking = false;
      let reminders = 0;
      // While the caller talks no timer runs out on them: a pause inside a spoken PIN is timed
      // from the end of their speech.
      let callerSpeaking = false;
      let silence: NodeJS.Timeout | undefined;
      const words = new TranscriptWait(TRANSCRIPT_WAIT_MS);
      const pauseMs = Math.min(SPOKEN_PIN_PAUSE_MS, opts.silenceMs);
      const finish = (result: TGateResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(silence);
        opts.room.off(RoomEvent.DtmfReceived, onDtmf);
        opts.room.off(RoomEvent.ParticipantDisconnected, onLeft);
        this.session.off(voice.AgentSessionEventTypes.UserStateChanged, onCallerState);
        this.heard.handler = () => {};
        this.heard.transcribed = () => {};
        resolve(result);
      };
      const fail = (error: unknown) => {
        logger.error({ error }, 'identifying the caller failed');
        finish({ kind: 'ended', outcome: 'failed' });
      };
      const armSilence = (ms = opts.silenceMs) => {
        clearTimeout(silence);
        silence = setTimeout(() => {
          if (settled || checking || callerSpeaking) return;
          // The caller's last words are still being transcribed: they may hold the rest of the PIN.
          const wait = words.remainingMs();
          if (wait > 0) return armSilence(Math.min(wait, 250));
          // Digits typed and then nothing: take them as the PIN, as if "#" was pressed.
          const typed = pins.entered ? pins.pressKey('#') : null;
          if (typed?.kind === 'pin') return submit(typed.pin);
          reminders++;
          const last = reminders > 2;
          void this.say(last ? phoneLines.noPin : phoneLines.askAgain).then(
            () => (last ? finish({ kind: 'ended', outcome: 'no_pin' }) : armSilence()),
            fail,
          );
        }, ms);
      };
      // PINs are checked one after another: a caller often types the next one while hearing that
      // the last did not match.
      let queue = Promise.resolve();
      const submit = (pin: string) => {
        queue = queue.then(() => check(pin)).catch(fail);
      };
      const check = async (pin: string) => {
        if (settled) return;
        checking = true;
        clearTimeout(silence);
        if (!opts.secret) {
          logger.error('PHONE_PIN_SECRET is not set: cannot check a PIN');
          await this.say(phoneLines.unavailable);
          return finish({ kind: 'ended', outcome: 'failed' });
        }
        const { trainee, attempts } = await checkPhonePin({ db: opts.db, secret: opts.secret, call: opts.call, dealershipId: opts.dealershipId, pin });
        if (trainee) return finish({ kind: 'identified', trainee });
        logger.warn({ attempts, digits: pin.length }, 'wrong phone PIN');
        if (attempts >= MAX_PIN_ATTEMPTS) {
          await this.say(phoneLines.lockedOut);
          return finish({ kind: 'ended', outcome: 'wrong_pin' });
        }
        await this.say(phoneLines.wrongPin(MAX_PIN_ATTEMPTS - attempts));
        checking = false;
        armSilence();
      };
      const onDtmf = (_code: number, digit: string, participant: RemoteParticipant) => {
        if (participant.identity !== opts.caller.identity) return;
        clearTimeout(silence);
        reminders = 0;
        const event = pins.pressKey(digit);
        if (event.kind === 'pin') submit(event.pin);
        else armSilence();
      };
      const onLeft = (participant: RemoteParticipant) => {
        if (participant.identity === opts.caller.identity) finish({ kind: 'ended', outcome: 'hung_up' });
      };
      this.heard.transcribed = () => words.transcribed();
      this.heard.handler = (text) => {
        reminders = 0;
        const event = pins.hear(text);
        if (event.kind === 'pin') submit(event.pin);
        // Part of a PIN: the rest may follow after a pause; if it does not, take what was said.
        else if (pins.entered && !checking) armSilence(pauseMs);
      };
      const onCallerState = (ev: voice.UserStateChangedEvent) => {
        const wasSpeaking = callerSpeaking;
        callerSpeaking = ev.newState === 'speaking';
        if (wasSpeaking && !callerSpeaking) words.speechEnded();
        if (callerSpeaking) clearTimeout(silence);
        else if (!settled && !checking) armSilence(pins.entered ? pauseMs : opts.silenceMs);
      };
      opts.room.on(RoomEvent.DtmfReceived, onDtmf);
      opts.room.on(RoomEvent.ParticipantDisconnected, onLeft);
      this.session.on(voice.AgentSessionEventTypes.UserStateChanged, onCallerState);
      void this.say(opts.greeting).then(() => armSilence(pins.entered ? pauseMs : opts.silenceMs), fail);
    });
  }
}
