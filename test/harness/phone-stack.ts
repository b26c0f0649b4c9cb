import path from 'node:path';
import { pino } from 'pino';
import { ensureLivekitSip } from '../../scripts/lib/sip-binary';
import { startSipBridge } from '../../scripts/lib/sip-bridge';
import { freeTcpPort, type ManagedProcess } from '../../scripts/lib/processes';
import { createCaller } from '../../web/src/server/api/root';
import { createTRPCContext } from '../../web/src/server/api/trpc';
import { createLiveKitService } from '../../web/src/server/livekit';
import { createPhoneService } from '../../web/src/server/phone';
import { type TestStack, startTestStack } from './stack';

export const PHONE_PIN_SECRET = 'phone-e2e-test-secret-0123456789abcdefgh';

export type PhoneTestStack = {
  stack: TestStack;
  bridge: ManagedProcess;
  sipPort: number;
  /** Starts the SIP bridge again (after a test stopped it). */
  restartBridge(): Promise<void>;
  /** The web API as the seeded manager, with phone practice enabled. */
  manager(): ReturnType<typeof createCaller>;
  stop(): Promise<void>;
};

/** The test stack (agent with the PIN secret, livekit-server on Redis) plus a livekit-sip bridge. */
export async function startPhoneTestStack(agentEnv: Record<string, string> = {}): Promise<PhoneTestStack> {
  const stack = await startTestStack({ redis: true, agentEnv: { PHONE_PIN_SECRET, ...agentEnv } });
  const sipPort = await freeTcpPort();
  const rtpBase = 40000 + Math.floor(Math.random() * 200) * 100;
  const bin = await ensureLivekitSip(() => {});
  const start = async () =>
    startSipBridge({
      bin,
      dir: stack.workDir,
      livekit: stack.livekit,
      redisAddress: `127.0.0.1:${stack.redis!.port}`,
      sipPort,
      rtpPorts: [rtpBase, rtpBase + 99],
      healthPort: await freeTcpPort(),
      logFile: path.join(stack.logDir, 'livekit-sip.log'),
    });
  const self: PhoneTestStack = {
    stack,
    bridge: await start().catch(async (error: unknown) => {
      await stack.stop();
      throw error;
    }),
    sipPort,
    async restartBridge() {
      self.bridge = await start();
    },
    manager() {
      const user = {
        id: stack.seeded.userIds.dealership_admin!,
        email: 'manager@lakeside.example',
        name: 'Manager',
        role: 'dealership_admin' as const,
        dealershipId: stack.seeded.dealershipId,
      };
      const { url, apiKey, apiSecret } = stack.livekit;
      const livekit = createLiveKitService({ apiUrl: url, publicUrl: url, apiKey, apiSecret, agentName: stack.agentName });
      const phone = createPhoneService({ pinSecret: PHONE_PIN_SECRET, apiUrl: url, apiKey, apiSecret, agentName: stack.agentName, allowedAddresses: [] });
      const session = { user, expires: new Date(Date.now() + 3600_000).toISOString() };
      return createCaller(createTRPCContext({ db: stack.db, session, livekit, phone, logger: pino({ level: 'silent' }) }));
    },
    async stop() {
      await self.bridge.stop(3000);
      await stack.stop();
    },
  };
  return self;
}
