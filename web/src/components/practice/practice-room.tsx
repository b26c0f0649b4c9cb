'use client';

import { LiveKitRoom, RoomAudioRenderer, StartAudio } from '@livekit/components-react';
import { ConnectionError, DisconnectReason, MediaDeviceFailure, type Room } from 'livekit-client';
import { useState } from 'react';
import type { RouterOutputs } from '@/server/api/root';
import { AgentPanel } from './agent-panel';
import { describeMicrophoneProblem } from './microphone-problems';
import styles from './practice-room.module.css';
import { RoomControls } from './room-controls';
import { SessionStatus } from './session-status';

type TEnding = { kind: 'ended' } | { kind: 'connection_failed' };

/** One live practice session: the agent's voice and state, the trainee's microphone, and the way out. */
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
  function onRoomError(error: Error) {
    if (error instanceof ConnectionError) setEnding({ kind: 'connection_failed' });
    else setMicProblem(describeMicrophoneProblem(MediaDeviceFailure.getFailure(error)));
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

      {ending ? (
        <div className={styles.ended}>
          <p className={ending.kind === 'ended' ? undefined : 'alert'} role="status">
            {ending.kind === 'ended'
              ? 'This session has ended.'
              : 'We could not connect you to the practice room. Check your internet connection and try again; if it keeps happening, tell your manager.'}
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
          onDisconnected={(reason) =>
            reason === DisconnectReason.CLIENT_INITIATED ? onLeave() : setEnding({ kind: 'ended' })
          }
          onError={onRoomError}
          onMediaDeviceFailure={(failure) => setMicProblem(describeMicrophoneProblem(failure))}
        >
          <RoomAudioRenderer />
          <div className={styles.startAudio}>
            <StartAudio label={`Click to hear ${personaName}`} className="button" />
          </div>
          <AgentPanel personaName={personaName} />
          {micProblem ? (
            <p className="alert" role="alert">
              {micProblem}
            </p>
          ) : null}
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
