// One scripted role-play of `npm run bench:voice`, spoken through the real room: greeting, then
// trainee lines and whole agent replies; once a barge-in and once a false barge-in (a short
// non-word sound) during a reply. Returns what the trainee's side observed, what the agent stored,
// and the CPU and memory the conversation cost.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listSessionTurns } from '@avatar-adam/db';
import { turnMetrics } from '@avatar-adam/db/schema';
import { eq } from 'drizzle-orm';
import { sessionRow, type traineeCaller, waitFor } from '../../../test/harness/app';
import { TestParticipant } from '../../../test/harness/participant';
import type { TestStack } from '../../../test/harness/stack';
import type { TClip } from './audio';
import {
  type TCpuSnapshot,
  type TProcStat,
  clockTicksPerSecond,
  commandLine,
  cpuSnapshot,
  groupTicks,
  peakRssMb,
  processLabel,
  treePids,
  treeTicksDelta,
} from './procs';
import {
  BARGE_IN_AFTER_MS,
  FALSE_BARGE_IN_AFTER_MS,
  type TAudioStop,
  type TClientReply,
  type TFalseBargeInResult,
  type TReplyRow,
  type TStateChange,
  type TStoredReply,
  bargeInReaction,
  blipsBetween,
  classifyFalseBargeIn,
  joinReplies,
  reattributeUserTimings,
  replyStartAfter,
} from './report';

/** Extra trainee turns allowed when replies were too short to barge in on. */
const EXTRA_TURNS = 2;
const REPLY_TIMEOUT_MS = 60_000;
/** After the false barge-in: quiet this long (past the agent's 1.5 s false-interruption timeout) before the next line. */
const SETTLE_AFTER_SOUND_MS = 3500;

export type TConversationPlan = {
  index: number;
  scenario: { id: string; title: string; minEndpointingDelayMs: number };
  lines: TClip[];
  turns: number;
  bargeLine: TClip;
  falseSound: TClip;
};

export type TBargeInRecord = {
  conversation: number;
  turn: number;
  speechStartAt: number;
  speechEndAt: number;
  stop?: TAudioStop;
  reactionMs?: number;
  /** Trainee speech start → the agent's `lk.agent.state` turning `listening` (as the client saw it). */
  listeningAfterMs?: number;
  /** Blips (a frame or three of sound) heard between the stop and the reply to the barge-in. */
  blipsAfterStop?: number[];
  storedInterrupted?: boolean;
};

export type TFalseBargeInRecord = {
  conversation: number;
  turn: number;
  soundStartAt: number;
  soundEndAt: number;
  /** When the agent had settled after it (the trainee's next line starts later). */
  settledAt?: number;
  result?: TFalseBargeInResult;
  storedInterrupted?: boolean;
  /** A trainee turn stored for the sound (what the recogniser made of it), if any. */
  heardAs?: string;
  /** The trainee's next line was stored as a turn starting at the sound (seconds early). */
  nextTurnDatedAtSound?: boolean;
};

/** A process of the session's job tree: CPU over the conversation and peak RSS (VmHWM). */
export type TJobProcess = { pid: number; label: string; command: string; cpuSeconds: number; peakRssMb?: number };

export type TConversationResult = {
  index: number;
  sessionId: string;
  scenario: TConversationPlan['scenario'];
  jobPid?: number;
  /** Wall time from session.start to the end of the last reply. */
  wallMs: number;
  /** CPU-seconds over that window. */
  cpu: { agentWorker: number; sessionJob?: number; livekitServer?: number; benchClient: number };
  /** The session's job process and each process below it (Whisper worker, fallback recogniser…). */
  jobProcesses: TJobProcess[];
  replies: TReplyRow[];
  bargeIns: TBargeInRecord[];
  falseBargeIns: TFalseBargeInRecord[];
  notes: string[];
  /** What the trainee's side recorded, for the JSON. */
  frames: number[];
  states: TStateChange[];
  sessionStatus: string;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, check: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(10);
  }
}

const latestState = (t: TestParticipant) => t.agentStates.at(-1);
const lastAudible = (t: TestParticipant) => t.speechTimes.at(-1) ?? 0;
const isQuietState = (s: string | undefined) => s === 'listening' || s === 'idle';

/** First audible frame of the reply to speech that ended at `since`. */
function waitForReplyStart(t: TestParticipant, since: number): Promise<number> {
  return until(`the agent's reply (states: ${t.agentStates.map((s) => s.state).join(' → ')})`, REPLY_TIMEOUT_MS, () =>
    replyStartAfter(t.speechTimes, since),
  );
}

/** The reply that began at `startedAt` is over: the agent is listening and has been silent for 500 ms. */
function waitForReplyDone(t: TestParticipant, startedAt: number): Promise<true> {
  return until('the end of the agent reply', REPLY_TIMEOUT_MS, () => {
    const s = latestState(t);
    const now = Date.now();
    return Boolean(s && s.at > startedAt && isQuietState(s.state) && now - s.at >= 300 && now - lastAudible(t) >= 500) || undefined;
  });
}

/** Nothing from the agent (audio or state change) for `quietMs`, and it is listening. */
function settle(t: TestParticipant, since: number, quietMs: number): Promise<true> {
  return until('the agent to settle', REPLY_TIMEOUT_MS, () => {
    const s = latestState(t);
    const busyAt = Math.max(since, lastAudible(t), s?.at ?? 0);
    return (isQuietState(s?.state) && Date.now() - busyAt >= quietMs) || undefined;
  });
}

/**
 * Waits until the reply that began at `startedAt` has played `afterMs`, then for the next audible
 * frame, so the trainee's sound starts while the agent is audibly speaking. False when the reply
 * ended first.
 */
async function waitIntoReply(t: TestParticipant, startedAt: number, afterMs: number): Promise<boolean> {
  await sleep(Math.max(0, startedAt + afterMs - Date.now()));
  const deadline = Date.now() + 1500;
  while (Date.now() < deadline) {
    const s = latestState(t);
    if (s && s.at > startedAt && isQuietState(s.state)) return false;
    if (Date.now() - lastAudible(t) < 25) return true;
    await sleep(2);
  }
  return false;
}

/** A process's CPU ticks with those of its reaped children; 0 for one not there. */
const total = (p: TProcStat | undefined) => (p ? p.ownTicks + p.childTicks : 0);

function jobPidOf(logFile: string, sessionId: string): number | undefined {
  const line = readFileSync(logFile, 'utf8')
    .split('\n')
    .find((l) => l.includes('practice session started') && l.includes(sessionId));
  const pid = Number(/"pid":(\d+)/.exec(line ?? '')?.[1]);
  return pid > 0 ? pid : undefined;
}

export async function runConversation(opts: {
  stack: TestStack;
  caller: ReturnType<typeof traineeCaller>;
  plan: TConversationPlan;
  livekitPid?: number;
  progress: (text: string) => void;
}): Promise<TConversationResult> {
  const { stack, caller, plan, progress } = opts;
  const conversation = plan.index + 1;
  const replies: TClientReply[] = [];
  const bargeIns: TBargeInRecord[] = [];
  const falseBargeIns: TFalseBargeInRecord[] = [];
  const notes: string[] = [];

  const before = cpuSnapshot();
  const started = await caller.session.start({ scenarioId: plan.scenario.id });
  const trainee = new TestParticipant();
  let after: TCpuSnapshot;
  let jobPid: number | undefined;
  let jobProcesses: TJobProcess[] = [];
  // The agent streams its session events on this topic; unhandled, the client logs every one.
  trainee.room.registerByteStreamHandler('lk.agent.session', (reader) => void reader.readAll().catch(() => {}));
  try {
    await trainee.join(started.serverUrl, started.token);
    await trainee.publishMicrophone();
    await trainee.waitForAgentReply(0, REPLY_TIMEOUT_MS);
    progress(`conversation ${conversation}: greeting heard`);

    let bargeDone = false;
    let falseDone = false;
    const missed: Record<string, number[]> = { 'barge-in': [], 'false barge-in': [] };
    let lastTurn = 0;
    for (let turn = 1; turn <= plan.turns + EXTRA_TURNS; turn++) {
      if (turn > plan.turns && bargeDone && falseDone) break;
      lastTurn = turn;
      const line = plan.lines[(turn - 1) % plan.lines.length]!;
      const endOfSpeech = await trainee.say(line.samples, line.sampleRate);
      const firstAudible = await waitForReplyStart(trainee, endOfSpeech);
      const reply: TClientReply = { conversation, turn, kind: 'turn', endOfSpeechAt: endOfSpeech, firstAudibleAt: firstAudible };
      replies.push(reply);
      progress(`conversation ${conversation} turn ${turn}: reply after ${firstAudible - endOfSpeech} ms`);

      // The barge-in first (turn 1), then the false barge-in (turn 2): a sound the recogniser turns
      // into words can derail the model into short replies that leave nothing to barge in on.
      // A reply too short for its event moves the event on to the next turn.
      const event = !bargeDone ? 'barge-in' : !falseDone ? 'false barge-in' : undefined;
      if (event === 'false barge-in' && (await waitIntoReply(trainee, firstAudible, FALSE_BARGE_IN_AFTER_MS))) {
        const sound = plan.falseSound;
        const soundEnd = await trainee.say(sound.samples, sound.sampleRate);
        const record: TFalseBargeInRecord = { conversation, turn, soundStartAt: soundEnd - sound.durationMs, soundEndAt: soundEnd };
        falseBargeIns.push(record);
        reply.event = event;
        falseDone = true;
        await settle(trainee, soundEnd, SETTLE_AFTER_SOUND_MS);
        record.settledAt = Date.now();
        continue;
      }
      if (event === 'barge-in' && (await waitIntoReply(trainee, firstAudible, BARGE_IN_AFTER_MS))) {
        const line = plan.bargeLine;
        const speechEnd = await trainee.say(line.samples, line.sampleRate);
        bargeIns.push({ conversation, turn, speechStartAt: speechEnd - line.durationMs, speechEndAt: speechEnd });
        reply.event = event;
        bargeDone = true;
        const next = await waitForReplyStart(trainee, speechEnd);
        replies.push({ conversation, turn, kind: 'after barge-in', endOfSpeechAt: speechEnd, firstAudibleAt: next });
        progress(`conversation ${conversation} turn ${turn}: barged in; reply to it after ${next - speechEnd} ms`);
        await waitForReplyDone(trainee, next);
        continue;
      }
      if (event) missed[event]!.push(turn);
      await waitForReplyDone(trainee, firstAudible);
    }
    if (lastTurn > plan.turns) notes.push(`turns ${plan.turns + 1}–${lastTurn} were added to place the barge-ins`);
    for (const [event, turns] of Object.entries(missed)) {
      if (turns.length === 0) continue;
      const placed = event === 'barge-in' ? bargeDone : falseDone;
      notes.push(`the ${event} was ${placed ? 'placed late' : 'not placed'}: the replies of turn${turns.length > 1 ? 's' : ''} ${turns.join(', ')} ended before it could start ${event === 'barge-in' ? BARGE_IN_AFTER_MS : FALSE_BARGE_IN_AFTER_MS} ms in`);
    }

    after = cpuSnapshot();
    jobPid = jobPidOf(path.join(stack.logDir, 'agent.log'), started.sessionId);
    if (jobPid) {
      const ticks = clockTicksPerSecond();
      jobProcesses = [...treePids(after.procs.values(), jobPid)].map((pid) => {
        const command = commandLine(pid);
        return {
          pid,
          label: pid === jobPid ? 'job process (node)' : processLabel(command),
          command: command.slice(0, 120),
          cpuSeconds: (total(after.procs.get(pid)) - total(before.procs.get(pid))) / ticks,
          peakRssMb: peakRssMb(pid),
        };
      });
    } else notes.push("the job process was not found in the agent log: no per-process CPU or memory");
    // The worker's shared voice process (AGENT_SHARED_VOICE=on) synthesises for the job process: its
    // CPU in this conversation and its peak memory count here too (one per worker, whatever the sessions).
    const workerPid = stack.agent.child.pid;
    for (const pid of workerPid ? treePids(after.procs.values(), workerPid) : []) {
      const command = commandLine(pid);
      if (!command.includes('voice-server-main')) continue;
      jobProcesses.push({
        pid,
        label: 'shared voice process (one per worker)',
        command: command.slice(0, 120),
        cpuSeconds: (total(after.procs.get(pid)) - total(before.procs.get(pid))) / clockTicksPerSecond(),
        peakRssMb: peakRssMb(pid),
      });
    }
  } finally {
    await trainee.leave();
  }

  const ended = await waitFor('the session to end', () => sessionRow(stack, started.sessionId), (r) => r.status === 'ended' || r.status === 'failed', 30_000);
  const { dealershipId } = stack.seeded;
  const turns = await listSessionTurns({ db: stack.db, sessionId: started.sessionId, dealershipId });
  const metrics = await stack.db.select().from(turnMetrics).where(eq(turnMetrics.sessionId, started.sessionId));
  const stored: TStoredReply[] = turns.flatMap((t) => {
    const m = metrics.find((row) => row.turnId === t.id);
    if (t.speaker !== 'agent' || !m) return [];
    const { endOfUtteranceDelayMs, transcriptionDelayMs, llmTtftMs, ttsTtfbMs, voiceToVoiceMs } = m;
    const times = { endOfUtteranceDelayMs, transcriptionDelayMs, llmTtftMs, ttsTtfbMs, voiceToVoiceMs };
    return [{ turnId: t.id, startedAt: t.startedAt.getTime(), interrupted: t.interrupted, text: t.text, ...times }];
  });
  const rows = joinReplies(replies, reattributeUserTimings(stored));

  const frames = [...trainee.speechTimes];
  const states = [...trainee.agentStates];
  const observedUntil = after.at;
  for (const b of bargeIns) {
    Object.assign(b, bargeInReaction(frames, b.speechStartAt, observedUntil));
    const listening = states.find((s) => s.at >= b.speechStartAt && s.state === 'listening');
    if (listening) b.listeningAfterMs = listening.at - b.speechStartAt;
    const next = replies.find((r) => r.kind === 'after barge-in' && r.turn === b.turn)?.firstAudibleAt ?? observedUntil;
    if (b.stop?.stoppedAt !== undefined) b.blipsAfterStop = blipsBetween(frames, b.stop.stoppedAt, next);
    b.storedInterrupted = rows.find((r) => r.conversation === conversation && r.turn === b.turn && r.event === 'barge-in')?.stored?.interrupted;
  }
  for (const f of falseBargeIns) {
    f.result = classifyFalseBargeIn({ frames, states, soundStartAt: f.soundStartAt, soundEndAt: f.soundEndAt, observedUntil, windowEnd: f.settledAt });
    f.storedInterrupted = rows.find((r) => r.conversation === conversation && r.turn === f.turn && r.event === 'false barge-in')?.stored?.interrupted;
    // A trainee turn dated at the sound: the sound itself if it ended before the next line, else
    // the next line, stored with the sound's start (the sound opened a turn that no transcript closed).
    const datedAtSound = turns.find((t) => t.speaker === 'trainee' && Math.abs(t.startedAt.getTime() - f.soundStartAt) < 1500);
    const endedAt = datedAtSound?.endedAt?.getTime();
    if (datedAtSound && endedAt !== undefined && endedAt <= (f.settledAt ?? f.soundEndAt + 5000)) f.heardAs = datedAtSound.text;
    else if (datedAtSound) f.nextTurnDatedAtSound = true;
  }

  const ticks = clockTicksPerSecond();
  const agentPgid = stack.agent.child.pid!;
  return {
    index: plan.index,
    sessionId: started.sessionId,
    scenario: plan.scenario,
    jobPid,
    wallMs: after.at - before.at,
    cpu: {
      agentWorker: (groupTicks(after.procs.values(), agentPgid) - groupTicks(before.procs.values(), agentPgid)) / ticks,
      sessionJob: jobPid ? treeTicksDelta(before.procs, after.procs, jobPid) / ticks : undefined,
      livekitServer: opts.livekitPid
        ? (groupTicks(after.procs.values(), opts.livekitPid) - groupTicks(before.procs.values(), opts.livekitPid)) / ticks
        : undefined,
      benchClient: (after.self.user + after.self.system - before.self.user - before.self.system) / 1e6,
    },
    jobProcesses,
    replies: rows,
    bargeIns,
    falseBargeIns,
    notes,
    frames,
    states,
    sessionStatus: ended.status,
  };
}
