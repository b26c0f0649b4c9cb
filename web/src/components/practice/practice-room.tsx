'use client';

import { LiveKitRoom, RoomAudioRenderer, StartAudio } from '@livekit/components-react';
import { ConnectionError, ConnectionErrorReason, MediaDeviceFailure, type Room } from 'livekit-client';
import { useState } from 'react';
import type { RouterOutputs } from '@/server/api/root';
import { AgentPanel } from './agent-panel';
import { LiveTranscript } from '../transcript/live-transcript';
import { CoachSources } from './coach-sources';
import { ConnectionStatus } from './connection-status';
import { describeMicrophoneProblem } from './microphone-problems';
import styles from './practice-room.module.css';
import { RoomControls } from './room-controls';
import { SessionResults } from './session-results';
import { SessionStatus } from './session-status';

type TEnding = { kind: 'ended' } | { kind: 'connection_failed' };

/**
 * One live practice session: the agent's voice and state (and, with Adam, the sources of his answer),
 * the trainee's microphone, the way out, and the session's results once it is over.
 */
export function PracticeRoom(props: {
  room: Room;
  session: RouterOutputs['session']['start'];
  personaName: string;
  onLeave: () => void;
}) {
  const { room, session, personaName, onLeave } = props;
  const [micProblem, setMicProblem] = useState<string | null>(null);
  const [ending, setEnding] = useState<TEnding | null>(null);

  // LiveKitRoom reports both a failed connection and a microphone that would not publish here.
  // A connection cancelled by "End session" before it was up is the trainee leaving, not a fault.
  function onRoomError(error: Error) {
    if (!(error instanceof ConnectionError)) {
      setMicProblem(describeMicrophoneProblem(MediaDeviceFailure.getFailure(error)));
      return;
    }
    setEnding(error.reason === ConnectionErrorReason.Cancelled ? { kind: 'ended' } : { kind: 'connection_failed' });
  }

  return (
    <section className={styles.roomCard} aria-labelledby="room-title">
      <header className={styles.roomHead}>
        <div>
          <p className={styles.eyebrow}>{session.mode === 'coach' ? 'Coaching session' : 'Role-play'}</p>
          <h2 id="room-title" className={styles.roomTitle}>
            {session.scenario.title}
          </h2>
        </div>
        <SessionStatus sessionId={session.sessionId} />
      </header>

      {ending?.kind === 'ended' ? (
        <SessionResults sessionId={session.sessionId} mode={session.mode} onBack={onLeave} />
      ) : ending?.kind === 'connection_failed' ? (
        <div className={styles.ended}>
          <p className="alert" role="status">
            We could not connect you to the practice room. Check your internet connection and try again; if it
            keeps happening, tell your manager.
          </p>
          <button type="button" className="button" onClick={onLeave}>
            Back to scenarios
          </button>
        </div>
      ) : (
        <LiveKitRoom
          room={room}
          serverUrl={session.serverUrl}
          token={session.token}
          connect
          audio
          video={false}
          className={styles.room}
          // Whether the trainee ended it or the room closed, the session is over: show its results.
          onDisconnected={() => setEnding((current) => current ?? { kind: 'ended' })}
          onError={onRoomError}
          onMediaDeviceFailure={(failure) => setMicProblem(describeMicrophoneProblem(failure))}
        >
          <RoomAudioRenderer />
          <div className={styles.startAudio}>
            <StartAudio label={`Click to hear ${personaName}`} className="button" />
          </div>
          <AgentPanel personaName={personaName} />
          {session.mode === 'coach' ? <CoachSources /> : null}
          <LiveTranscript personaName={personaName} traineeName="You" />
          {micProblem ? (
            <p className="alert" role="alert">
              {micProblem}
            </p>
          ) : null}
          <ConnectionStatus />
          <RoomControls
            hasMicProblem={micProblem !== null}
            onMicProblem={(failure) => setMicProblem(failure === null ? null : describeMicrophoneProblem(failure))}
            onEnd={() => void room.disconnect()}
          />
        </LiveKitRoom>
      )}
    </section>
  );
}
