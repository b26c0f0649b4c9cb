import { AccessToken, RoomAgentDispatch, RoomServiceClient } from 'livekit-server-sdk';

/** What the web app needs from LiveKit; procedures get it through the tRPC context. */
export type LiveKitService = {
  /** The URL browsers connect to (returned to them with their token). */
  readonly serverUrl: string;
  /** The agent worker's registered name, as configured at start. */
  readonly agentName: string;
  /**
   * Creates the room and dispatches the named agent into it in the same call. Dispatch inside a
   * participant token is ignored when the room already exists (livekit #4390), so it goes here.
   */
  createPracticeRoom(opts: {
    roomName: string;
    metadata: string;
    agentName: string;
    /** Arrives in the agent as `ctx.job.metadata`. */
    dispatchMetadata: string;
  }): Promise<void>;
  /** A join token for one room only. */
  mintParticipantToken(opts: {
    roomName: string;
    identity: string;
    name: string;
    ttlSeconds?: number;
  }): Promise<string>;
  /**
   * A listen-only token for one room: hidden (left out of everyone's participant list), may
   * subscribe, may publish neither tracks nor data. Not a recorder grant: that would show the
   * room as being recorded. `createLiveKitService` always provides it; it is optional only so
   * the test doubles of routers that never listen in need not implement it.
   */
  mintObserverToken(opts: { roomName: string; identity: string; name: string }): Promise<string>;
};

export type LiveKitConfig = {
  /** Server-to-server API URL (ws:// is accepted and turned into http:// by the SDK). */
  apiUrl: string;
  publicUrl: string;
  apiKey: string;
  apiSecret: string;
  agentName: string;
};

/** Nobody joined within this time → LiveKit closes the room (the agent leaves with it). */
const EMPTY_TIMEOUT_SECONDS = 5 * 60;
/** After the trainee leaves, keep the room briefly so a reload can rejoin the same session. */
const DEPARTURE_TIMEOUT_SECONDS = 20;
/**
 * Only needs to outlive the join itself: LiveKit refreshes the token of a connected participant,
 * so a short TTL limits a leaked token without cutting long sessions.
 */
const DEFAULT_TOKEN_TTL_SECONDS = 10 * 60;
/** An observer joins right after asking; a token that leaks later is useless a minute on. */
const OBSERVER_TOKEN_TTL_SECONDS = 60;

export function createLiveKitService(config: LiveKitConfig): LiveKitService {
  const rooms = new RoomServiceClient(config.apiUrl, config.apiKey, config.apiSecret, {
    requestTimeout: 10,
  });

  return {
    serverUrl: config.publicUrl,
    agentName: config.agentName,

    async createPracticeRoom({ roomName, metadata, agentName, dispatchMetadata }) {
      await rooms.createRoom({
        name: roomName,
        emptyTimeout: EMPTY_TIMEOUT_SECONDS,
        departureTimeout: DEPARTURE_TIMEOUT_SECONDS,
        metadata,
        agents: [new RoomAgentDispatch({ agentName, metadata: dispatchMetadata })],
      });
    },

    async mintParticipantToken({ roomName, identity, name, ttlSeconds }) {
      const token = new AccessToken(config.apiKey, config.apiSecret, {
        identity,
        name,
        ttl: ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
      });
      token.addGrant({
        room: roomName,
        roomJoin: true,
        canPublish: true,
        canSubscribe: true,
        canPublishData: true,
      });
      return token.toJwt();
    },

    async mintObserverToken({ roomName, identity, name }) {
      const token = new AccessToken(config.apiKey, config.apiSecret, {
        identity,
        name,
        ttl: OBSERVER_TOKEN_TTL_SECONDS,
      });
      token.addGrant({
        room: roomName,
        roomJoin: true,
        hidden: true,
        canSubscribe: true,
        canPublish: false,
        canPublishData: false,
      });
      return token.toJwt();
    },
  };
}
