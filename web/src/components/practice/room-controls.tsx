'use client';

import { TrackToggle, useLocalParticipant } from '@livekit/components-react';
import { MediaDeviceFailure, Track } from 'livekit-client';
import styles from './practice-room.module.css';

/** Microphone on/off (and a retry after a device error) plus leaving the session. */
export function RoomControls(props: {
  hasMicProblem: boolean;
  /** A failure to report, or null once the microphone works again. */
  onMicProblem: (failure: MediaDeviceFailure | null) => void;
  onEnd: () => void;
}) {
  const { localParticipant, isMicrophoneEnabled } = useLocalParticipant();

  async function retryMicrophone() {
    try {
      await localParticipant.setMicrophoneEnabled(true);
      props.onMicProblem(null);
    } catch (error) {
      props.onMicProblem(MediaDeviceFailure.getFailure(error) ?? MediaDeviceFailure.Other);
    }
  }

  return (
    <div className={styles.controls} role="group" aria-label="Session controls">
      {props.hasMicProblem ? (
        <button type="button" className="button button-secondary" onClick={() => void retryMicrophone()}>
          Try the microphone again
        </button>
      ) : (
        <TrackToggle
          source={Track.Source.Microphone}
          showIcon={false}
          className="button button-secondary"
          onDeviceError={(error) =>
            props.onMicProblem(MediaDeviceFailure.getFailure(error) ?? MediaDeviceFailure.Other)
          }
        >
          {isMicrophoneEnabled ? 'Mute microphone' : 'Unmute microphone'}
        </TrackToggle>
      )}
      <button type="button" className="button button-danger" onClick={props.onEnd}>
        End session
      </button>
    </div>
  );
}
