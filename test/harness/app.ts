import { practiceSessions } from '@avatar-adam/db/schema';
import { DEMO_USERS } from '@avatar-adam/db/seed';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { createCaller } from '../../web/src/server/api/root';
import { createTRPCContext } from '../../web/src/server/api/trpc';
import { createLiveKitService } from '../../web/src/server/livekit';
import { TestParticipant } from './participant';
import type { TestStack } from './stack';

/**
 * The web app's tRPC API as the seeded trainee calls it (same routers, context and LiveKit service);
 * `requestId` as an `x-request-id` would set it.
 */
export function traineeCaller(stack: TestStack, opts: { requestId?: string } = {}) {
  const trainee = DEMO_USERS.find((u) => u.role === 'trainee')!;
  const session = {
    user: {
      id: stack.seeded.userIds.trainee!,
      email: trainee.email,
      name: trainee.name,
      role: 'trainee' as const,
      dealershipId: stack.seeded.dealershipId,
    },
    expires: new Date(Date.now() + 3600_000).toISOString(),
  };
  const livekit = createLiveKitService({
    apiUrl: stack.livekit.url,
    publicUrl: stack.livekit.url,
    apiKey: stack.livekit.apiKey,
    apiSecret: stack.livekit.apiSecret,
    agentName: stack.agentName,
  });
  return createCaller(createTRPCContext({ db: stack.db, session, livekit, logger: pino({ level: 'silent' }), requestId: opts.requestId }));
}

/** The same API as the seeded manager (dealership admin of the demo dealership) calls it. */
export function managerCaller(stack: TestStack) {
  const manager = DEMO_USERS.find((u) => u.role === 'dealership_admin')!;
  const session = {
    user: {
      id: stack.seeded.userIds.dealership_admin!,
      email: manager.email,
      name: manager.name,
      role: 'dealership_admin' as const,
      dealershipId: stack.seeded.dealershipId,
    },
    expires: new Date(Date.now() + 3600_000).toISOString(),
  };
  const livekit = createLiveKitService({
    apiUrl: stack.livekit.url,
    publicUrl: stack.livekit.url,
    apiKey: stack.livekit.apiKey,
    apiSecret: stack.livekit.apiSecret,
    agentName: stack.agentName,
  });
  return createCaller(createTRPCContext({ db: stack.db, session, livekit, logger: pino({ level: 'silent' }) }));
}

export async function sessionRow(stack: TestStack, id: string) {
  const [row] = await stack.db.select().from(practiceSessions).where(eq(practiceSessions.id, id));
  return row!;
}

export async function waitFor<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/**
 * What the practice page does: starts a session of `mode` as the seeded trainee and joins its room;
 * resolves once the agent is heard, and prints the wait under `label`.
 */
export async function startSessionAndHearAgent(stack: TestStack, mode: 'roleplay' | 'coach', label: string) {
  const caller = traineeCaller(stack);
  const scenario = (await caller.scenario.list()).find((s) => s.mode === mode)!;
  const clickedAt = Date.now();
  const started = await caller.session.start({ scenarioId: scenario.id });
  const trainee = new TestParticipant();
  await trainee.join(started.serverUrl, started.token);
  await trainee.waitForAgentSpeech(45_000);
  process.stdout.write(`[${label}] start → first agent audio: ${trainee.firstSpeechAt! - clickedAt} ms\n`);
  return { started, trainee };
}
