import { AppError } from '@avatar-adam/db';
import { RoomAgentDispatch, RoomConfiguration, SipClient } from 'livekit-server-sdk';

/** The LiveKit SIP objects behind one practice line. */
export type TSipObjects = { sipTrunkId: string; sipDispatchRuleId: string };

/** Phone practice as the web app sees it: PIN issuing and line provisioning through LiveKit SIP. */
export type PhoneService = {
  readonly enabled: boolean;
  /** Key of the PIN HMAC (shared with the agent). Set whenever `enabled`. */
  readonly pinSecret: string | undefined;
  /**
   * How to reach a number for people without a telephone carrier set up (development): a SIP URI
   * template with `{number}`, e.g. `sip:{number}@127.0.0.1:5060`. Null in production.
   */
  readonly dialHint: string | null;
  /** Creates the inbound trunk for the number and a dispatch rule sending each caller to the agent. */
  provisionLine(opts: { phoneLineId: string; phoneNumber: string; label: string }): Promise<TSipObjects>;
  /** Deletes a line's trunk and rule; ones already gone are fine. */
  removeLine(objects: Partial<TSipObjects>): Promise<void>;
};

export type PhoneConfig = {
  pinSecret?: string;
  dialHint?: string;
  apiUrl: string;
  apiKey: string;
  apiSecret: string;
  agentName: string;
  /** Carrier addresses (CIDR) allowed to send calls; empty = any (development only). */
  allowedAddresses: string[];
  auth?: { username: string; password: string };
};

/** Each caller gets a room of their own: `phone-_<caller>_<random>`. */
const ROOM_PREFIX = 'phone-';

export function createPhoneService(config: PhoneConfig): PhoneService {
  const sip = new SipClient(config.apiUrl, config.apiKey, config.apiSecret, { requestTimeout: 10 });
  const unreachable = (error: unknown) =>
    new AppError('UNAVAILABLE', {
      message: `LiveKit SIP request failed: ${error instanceof Error ? error.message : String(error)}`,
      userMessage: 'The phone system did not answer. Check that LiveKit and its SIP bridge are running, then try again.',
      cause: error,
    });
  return {
    enabled: Boolean(config.pinSecret),
    pinSecret: config.pinSecret,
    dialHint: config.dialHint ?? null,

    async provisionLine({ phoneLineId, phoneNumber, label }) {
      let sipTrunkId: string | undefined;
      try {
        const trunk = await sip.createSipInboundTrunk(`AvatarAdam ${label}`, [phoneNumber], {
          allowedAddresses: config.allowedAddresses.length ? config.allowedAddresses : undefined,
          authUsername: config.auth?.username,
          authPassword: config.auth?.password,
          metadata: JSON.stringify({ phoneLineId }),
        });
        sipTrunkId = trunk.sipTrunkId;
        const rule = await sip.createSipDispatchRule(
          { type: 'individual', roomPrefix: ROOM_PREFIX },
          {
            name: `AvatarAdam ${label}`,
            trunkIds: [sipTrunkId],
            metadata: JSON.stringify({ phoneLineId }),
            roomConfig: new RoomConfiguration({
              // The agent reads this to know which line was dialled, then identifies the caller.
              agents: [new RoomAgentDispatch({ agentName: config.agentName, metadata: JSON.stringify({ kind: 'phone', phoneLineId }) })],
              emptyTimeout: 30,
              departureTimeout: 5,
            }),
          },
        );
        return { sipTrunkId, sipDispatchRuleId: rule.sipDispatchRuleId };
      } catch (error) {
        // Nothing half-made: a trunk without its rule would take calls nobody answers.
        if (sipTrunkId) await sip.deleteSipTrunk(sipTrunkId).catch(() => {});
        throw unreachable(error);
      }
    },

    async removeLine({ sipTrunkId, sipDispatchRuleId }) {
      const ignoreMissing = (error: unknown) => {
        if (/not ?found|404/i.test(String((error as Error)?.message ?? error))) return;
        throw unreachable(error);
      };
      if (sipDispatchRuleId) await sip.deleteSipDispatchRule(sipDispatchRuleId).catch(ignoreMissing);
      if (sipTrunkId) await sip.deleteSipTrunk(sipTrunkId).catch(ignoreMissing);
    },
  };
}

/** For contexts without phone practice (tests of other routers, servers without a PIN secret). */
export const phoneDisabled: PhoneService = {
  enabled: false,
  pinSecret: undefined,
  dialHint: null,
  provisionLine: () => Promise.reject(notEnabled()),
  removeLine: () => Promise.reject(notEnabled()),
};

export function notEnabled(): AppError {
  return new AppError('UNAVAILABLE', {
    message: 'phone practice is not enabled (PHONE_PIN_SECRET unset)',
    userMessage: 'Phone practice is not enabled on this server. An operator sets PHONE_PIN_SECRET and runs the SIP bridge.',
  });
}
