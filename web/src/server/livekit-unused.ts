import type { LiveKitService } from './livekit';

/**
 * For route handlers that never touch LiveKit (uploads, audio): a call would be a bug, so it
 * fails loudly instead of reaching a server.
 */
export function liveKitUnusedBy(what: string): LiveKitService {
  const refuse = () => Promise.reject(new Error(`${what} does not use LiveKit`));
  return { serverUrl: '', agentName: '', createPracticeRoom: refuse, mintParticipantToken: refuse, mintObserverToken: refuse };
}
