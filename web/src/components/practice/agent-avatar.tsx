'use client';

import { type AgentState, type TrackReference, useTrackVolume } from '@livekit/components-react';
import type { CSSProperties } from 'react';
import { avatarStateWords, hueOf, initialsOf, speakingLevel } from './agent-avatar-state';
import styles from './agent-avatar.module.css';

/**
 * The agent as a face: Adam or the customer by their initials, a ring that breathes while
 * listening, circles while thinking and swells with the voice while speaking, and a mouth that
 * opens with the audio level of the agent's track. Motion is CSS driven by `data-state` and the
 * `--level` custom property, so reduced-motion users get the same states without the movement.
 */
export function AgentAvatar(props: { name: string; state: AgentState; audioTrack: TrackReference | undefined }) {
  const volume = useTrackVolume(props.audioTrack);
  const level = speakingLevel(props.state, volume);
  const style = { '--level': level, '--hue': hueOf(props.name) } as CSSProperties;
  return (
    <div
      className={styles.avatar}
      style={style}
      data-state={props.state}
      role="img"
      aria-label={`${props.name}, ${avatarStateWords(props.state)}`}
      data-testid="agent-avatar"
    >
      <span className={styles.ring} aria-hidden="true" />
      <span className={styles.face} aria-hidden="true">
        <span className={styles.initials}>{initialsOf(props.name)}</span>
        <span className={styles.mouth} />
      </span>
    </div>
  );
}
