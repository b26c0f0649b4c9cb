import type { LiveKitService } from '../../livekit';

/**
 * For router tests only: a LiveKit service for procedures that must never reach LiveKit. Any call
 * fails the test with `what` in the message (e.g. "history reads").
 */
export function unreachableLiveKit(what: string): LiveKitService {
  const refuse = (action: string) => () => Promise.reject(new Error(`${what} must not ${action}`));
  return {
    serverUrl: 'ws://livekit.test:7880',
    agentName: 'avatar-adam-test',
    createPracticeRoom: refuse('create rooms'),
    mintParticipantToken: refuse('mint tokens'),
    mintObserverToken: refuse('mint tokens'),
  };
}
