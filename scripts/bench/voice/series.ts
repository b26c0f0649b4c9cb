// One series of `npm run bench:voice`, or a part of one: a test stack whose agent runs with the
// given settings, some of the planned conversations on it, then the stack stopped. With
// `--baseline` each conversation runs on a stack of its own, main and baseline interleaved (see
// interleave.ts). Only one stack runs at a time: two would compete for the machine's two cores.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TPatience } from '@avatar-adam/db';
import { scenarios as scenariosTable } from '@avatar-adam/db/schema';
import { inArray } from 'drizzle-orm';
import { traineeCaller } from '../../../test/harness/app';
import { type TestStack, startTestStack } from '../../../test/harness/stack';
import { cpuCalibrationMs, loadAverage } from '../engines/machine';
import type { TClip } from './audio';
import { type TConversationResult, runConversation } from './conversation';
import { findProcess } from './procs';

/** What every series plays, so two series differ only in the agent's settings. */
export type TSeriesPlan = { conversations: number; turns: number; lines: TClip[][]; bargeClips: TClip[]; falseSound: TClip };

export type TSeriesResult = {
  name: 'main' | 'baseline';
  /** Variables given to the agent on top of the bench's own environment. */
  agentEnv: Record<string, string>;
  stackStarted: boolean;
  results: TConversationResult[];
  failure?: string;
  /** The single-core calibration before each of its stacks started and after it stopped, in order: how busy the machine was around the series. */
  calibrationMs: number[];
  loadAvg: { start: number[]; end: number[] };
};

/**
 * The stack being run, so Ctrl-C can stop it: its processes run in process groups of their own,
 * which the terminal's SIGINT does not reach.
 */
export class StackSlot {
  private current?: { starting: Promise<TestStack>; stopping?: Promise<void> };
  interrupted = false;

  start(agentEnv: Record<string, string>): Promise<TestStack> {
    this.current = { starting: startTestStack({ agentEnv }) };
    return this.current.starting;
  }

  /** Stops the current stack (started or still starting) once, however often it is called. */
  stop(): Promise<void> {
    const c = this.current;
    if (!c) return Promise.resolve();
    return (c.stopping ??= c.starting.then((s) => s.stop(), () => {}).catch(() => {}));
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function runSeries(opts: {
  name: TSeriesResult['name'];
  agentEnv: Record<string, string>;
  plan: TSeriesPlan;
  /** Which of the plan's conversations to play (0-based). */
  indices: readonly number[];
  slot: StackSlot;
  progress: (text: string) => void;
  /** Plays the role-plays with this patience instead of the seeded one (`--baseline-patience`). */
  patience?: TPatience;
}): Promise<TSeriesResult> {
  const { name, agentEnv, plan, indices, slot, patience } = opts;
  const progress = (text: string) => opts.progress(`${name}: ${text}`);
  const settings = Object.entries(agentEnv).map(([k, v]) => `${k}=${v}`).join(' ');
  const out: TSeriesResult = { name, agentEnv, stackStarted: false, results: [], calibrationMs: [cpuCalibrationMs()], loadAvg: { start: loadAverage(), end: [] } };

  progress(`starting the stack: embedded database, livekit-server, agent worker (local engines)${settings ? ` with ${settings}` : ''}`);
  // Ctrl-C between two series: the handler is exiting, start nothing more.
  if (slot.interrupted) await new Promise(() => {});
  let stack: TestStack;
  try {
    stack = await slot.start(agentEnv);
    out.stackStarted = true;
  } catch (error) {
    out.failure = `the test stack did not start: ${message(error)}`;
    process.stderr.write(
      `bench:voice: ${name}: ${out.failure}\n` +
        '  (set AVATAR_ADAM_TEST_KEEP_LOGS=1 to keep the livekit-server and agent logs; `npm run livekit:install` checks the server binary)\n',
    );
    return finish(out);
  }
  if (slot.interrupted) await new Promise(() => {}); // Ctrl-C during startup: the handler stops the stack and exits.

  try {
    const livekitPid = findProcess(path.join(stack.workDir, 'livekit.yaml'));
    const caller = traineeCaller(stack);
    const rolePlays = (await caller.scenario.list()).filter((s) => s.mode === 'roleplay');
    const rows = await stack.db.select().from(scenariosTable).where(inArray(scenariosTable.id, rolePlays.map((s) => s.id)));
    // Personas differ in patience (endpointing delay): compare like with like, on the default one.
    // Ordered by title so that every series (each on a freshly seeded database) plays the same ones.
    const quickest = Math.min(...rows.map((r) => r.patience.minEndpointingDelayMs));
    const chosen = rows
      .filter((r) => r.patience.minEndpointingDelayMs === quickest)
      .map((r) => ({ id: r.id, title: r.title, minEndpointingDelayMs: r.patience.minEndpointingDelayMs }))
      .sort((a, b) => a.title.localeCompare(b.title));
    if (chosen.length === 0) throw new Error('no role-play scenario is seeded');
    if (patience) {
      await stack.db.update(scenariosTable).set({ patience }).where(inArray(scenariosTable.id, chosen.map((s) => s.id)));
      for (const s of chosen) s.minEndpointingDelayMs = patience.minEndpointingDelayMs;
    }

    for (const [played, i] of indices.entries()) {
      // Each conversation gets a warm job process, as a trainee would: wait for the pool's replacement.
      await waitForReadyCount(stack, played + 1);
      const scenario = chosen[i % chosen.length]!;
      progress(`conversation ${i + 1} of ${plan.conversations}: "${scenario.title}"`);
      const { lines, turns, bargeClips, falseSound } = plan;
      const conversationPlan = { index: i, scenario, lines: lines[i]!, turns, bargeLine: bargeClips[i % bargeClips.length]!, falseSound };
      out.results.push(await runConversation({ stack, caller, livekitPid, progress, plan: conversationPlan }));
    }
  } catch (error) {
    out.failure = message(error);
    process.stderr.write(`bench:voice: ${name}: a conversation failed: ${out.failure}\nagent log tail:\n${stack.agent.tail().slice(-25).join('\n')}\n`);
  } finally {
    progress('stopping the stack');
    await slot.stop();
  }
  return finish(out);
}

function finish(out: TSeriesResult): TSeriesResult {
  out.calibrationMs.push(cpuCalibrationMs());
  out.loadAvg.end = loadAverage();
  return out;
}

/** Waits until the agent log shows `count` job processes that finished loading their engines. */
async function waitForReadyCount(s: TestStack, count: number): Promise<void> {
  const file = path.join(s.logDir, 'agent.log');
  const deadline = Date.now() + 120_000;
  while (readFileSync(file, 'utf8').split('job process ready').length - 1 < count) {
    if (Date.now() > deadline) throw new Error(`no warm job process for conversation ${count} within 120 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
