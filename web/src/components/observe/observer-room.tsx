'use client';

import {
  LiveKitRoom,
  RoomAudioRenderer,
  StartAudio,
  useConnectionState,
  useVoiceAssistant,
  type AgentState,
} from '@livekit/components-react';
import { useQuery } from '@tanstack/react-query';
import { ConnectionError, ConnectionState, type Room } from 'livekit-client';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import type { RouterOutputs } from '@/server/api/root';
import { useTRPC } from '@/trpc/react';
import type { TLiveSessionRow } from './live-session-list';
import { LiveTranscript } from '../transcript/live-transcript';
import roomStyles from '../practice/practice-room.module.css';
import styles from './observe.module.css';

type TStatus = RouterOutputs['session']['get']['status'];
/** Why the room view is gone while the session itself may not be. */
type TInterruption = 'connection_failed' | 'disconnected';

const STATUS_POLL_MS = 3_000;
const isFinal = (status: TStatus | undefined) => status === 'ended' || status === 'failed';

/**
 * Listening to one session as a hidden participant: both voices, the live transcript and what the
 * agent is doing. The room never tells the observer that the session ended (the observer alone
 * keeps it open), so the session's recorded status decides that.
 */
export function ObserverRoom(props: {
  room: Room;
  session: TLiveSessionRow;
  joined: RouterOutputs['observe']['join'];
  onBack: () => void;
}) {
  const { room, session, joined, onBack } = props;
  const trpc = useTRPC();
  const status = useQuery(
    trpc.session.get.queryOptions(
      { sessionId: session.id },
      { refetchInterval: (query) => (isFinal(query.state.data?.status) ? false : STATUS_POLL_MS) },
    ),
  );
  // What was said before the manager joined, read once: the live lines take over from there.
  const earlier = useQuery(
    trpc.history.transcript.queryOptions({ sessionId: session.id }, { staleTime: Number.POSITIVE_INFINITY, refetchOnWindowFocus: false }),
  );
  const [interruption, setInterruption] = useState<TInterruption | null>(null);
  const stopping = useRef(false);
  const sessionOver = isFinal(status.data?.status);

  useEffect(() => {
    if (sessionOver) void room.disconnect();
  }, [sessionOver, room]);

  function stopListening() {
    stopping.current = true;
    void room.disconnect().finally(onBack);
  }

  return (
    <section className={roomStyles.roomCard} aria-labelledby="observed-title">
      <header className={roomStyles.roomHead}>
        <div>
          <p className={roomStyles.eyebrow}>Listening · {session.mode === 'coach' ? 'Coaching session' : 'Role-play'}</p>
          <h2 id="observed-title" className={roomStyles.roomTitle}>
            {session.scenarioTitle}
          </h2>
          <p className={styles.rowMeta}>
            {session.traineeName} with {session.personaName}
          </p>
        </div>
        <span className={roomStyles.status} data-status={status.data?.status ?? session.status} role="status">
          {sessionOver ? 'Ended' : status.data?.status === 'live' || session.status === 'live' ? 'Live' : 'Starting…'}
        </span>
      </header>

      {sessionOver ? (
        <SessionOver sessionId={session.id} failed={status.data?.status === 'failed'} onBack={onBack} />
      ) : interruption ? (
        <div className={styles.ended}>
          <p className="alert" role="status">
            {interruption === 'connection_failed'
              ? 'We could not connect you to this session. It may have just ended; check the list and try again.'
              : 'You are no longer connected to this session.'}
          </p>
          <button type="button" className="button" onClick={onBack}>
            Back to live sessions
          </button>
        </div>
      ) : (
        <LiveKitRoom
          room={room}
          serverUrl={joined.serverUrl}
          token={joined.token}
          connect
          // Listen-only: never ask for a microphone or camera (the token could not publish them anyway).
          audio={false}
          video={false}
          className={roomStyles.room}
          onDisconnected={() => {
            if (stopping.current) return;
            // A room that closes under a listener usually means the session ended: ask right away.
            void status.refetch();
            setInterruption((current) => current ?? 'disconnected');
          }}
          onError={(error) => {
            if (error instanceof ConnectionError) setInterruption('connection_failed');
          }}
        >
          <RoomAudioRenderer />
          <div className={styles.startAudio}>
            <StartAudio label="Click to hear the session" className="button" />
          </div>
          <AgentActivity
            personaName={session.personaName}
            traineeName={session.traineeName}
            onAgentLeft={() => void status.refetch()}
          />
          <LiveTranscript
            personaName={session.personaName}
            traineeName={session.traineeName}
            earlier={earlier.data?.turns.map((t) => ({ id: t.id, speaker: t.speaker, text: t.text }))}
          />
          <div className={styles.controls}>
            <button type="button" className="button button-secondary" onClick={stopListening}>
              Stop listening
            </button>
          </div>
        </LiveKitRoom>
      )}
    </section>
  );
}

function describeActivity(state: AgentState, persona: string, trainee: string, connected: boolean, hasAgent: boolean) {
  if (!connected) return 'Connecting to the session…';
  if (!hasAgent) return `Waiting for ${persona} to join…`;
  switch (state) {
    case 'listening':
      return `${persona} is listening to ${trainee}`;
    case 'thinking':
      return `${persona} is thinking…`;
    case 'speaking':
      return `${persona} is speaking`;
    case 'idle':
      return `${persona} is waiting`;
    case 'failed':
      return `${persona} stopped working`;
    default:
      return `${persona} is getting ready…`;
  }
}

/** What the agent is doing right now; tells the parent when it leaves (the session is ending). */
function AgentActivity(props: { personaName: string; traineeName: string; onAgentLeft: () => void }) {
  const { agent, state } = useVoiceAssistant();
  const connected = useConnectionState() === ConnectionState.Connected;
  const hadAgent = useRef(false);
  // The latest callback, so the effect below runs when the agent comes or goes, not on every render.
  const onAgentLeft = useRef(props.onAgentLeft);
  useEffect(() => {
    onAgentLeft.current = props.onAgentLeft;
  });

  useEffect(() => {
    if (agent) hadAgent.current = true;
    else if (hadAgent.current) onAgentLeft.current();
  }, [agent]);

  return (
    <p className={styles.activity} aria-live="polite" data-state={state} data-testid="observed-agent-state">
      {describeActivity(state, props.personaName, props.traineeName, connected, Boolean(agent))}
    </p>
  );
}

function SessionOver(props: { sessionId: string; failed: boolean; onBack: () => void }) {
  return (
    <div className={styles.ended}>
      <p className={styles.endedNote} role="status">
        {props.failed
          ? 'This session ended early: the practice service stopped. What was said up to then is kept.'
          : 'This session has ended.'}
      </p>
      <div className={styles.controls}>
        <Link href={`/sessions/${props.sessionId}`} className="button">
          Open the transcript and scorecard
        </Link>
        <button type="button" className="button button-secondary" onClick={props.onBack}>
          Back to live sessions
        </button>
      </div>
    </div>
  );
}
