'use client';

import { useConnectionState, useVoiceAssistant, type AgentState } from '@livekit/components-react';
import { ConnectionState } from 'livekit-client';
import { useEffect, useState } from 'react';
import { AgentAvatar } from './agent-avatar';
import styles from './practice-room.module.css';

/** How long to wait for the agent before suggesting something is wrong on our side. */
const AGENT_JOIN_PATIENCE_MS = 20_000;

function describeAgentState(state: AgentState, name: string, roomConnected: boolean): string {
  if (!roomConnected) return 'Connecting to the practice room…';
  switch (state) {
    case 'listening':
      return `${name} is listening`;
    case 'thinking':
      return `${name} is thinking…`;
    case 'speaking':
      return `${name} is speaking`;
    case 'idle':
      return `${name} is waiting`;
    case 'failed':
      return `${name} could not join`;
    case 'initializing':
    case 'pre-connect-buffering':
      return `${name} is getting ready…`;
    default:
      // In the room, but the agent has not joined yet.
      return `Waiting for ${name} to join…`;
  }
}

/** The agent as a face that moves with its voice, and what it is doing right now in words. */
export function AgentPanel({ personaName }: { personaName: string }) {
  const { state, audioTrack, agent } = useVoiceAssistant();
  const roomConnected = useConnectionState() === ConnectionState.Connected;
  const [waitedLong, setWaitedLong] = useState(false);

  useEffect(() => {
    if (agent) return;
    const timer = setTimeout(() => setWaitedLong(true), AGENT_JOIN_PATIENCE_MS);
    return () => clearTimeout(timer);
  }, [agent]);

  return (
    <div className={styles.agent}>
      <AgentAvatar name={personaName} state={state} audioTrack={audioTrack} />
      <p className={styles.agentState} aria-live="polite" data-state={state} data-testid="agent-state">
        {describeAgentState(state, personaName, roomConnected)}
      </p>
      {!agent && waitedLong ? (
        <p className="alert alert-warn">
          {personaName} has not joined yet. The practice service may be busy or not running. You can
          keep waiting, or end the session and try again in a minute.
        </p>
      ) : null}
    </div>
  );
}
