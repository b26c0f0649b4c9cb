'use client';

import { useConnectionQualityIndicator, useConnectionState, useLocalParticipant } from '@livekit/components-react';
import { ConnectionQuality, ConnectionState } from 'livekit-client';
import styles from './practice-room.module.css';

const QUALITY_LABELS: Record<ConnectionQuality, string> = {
  [ConnectionQuality.Excellent]: 'Excellent',
  [ConnectionQuality.Good]: 'Good',
  [ConnectionQuality.Poor]: 'Poor',
  [ConnectionQuality.Lost]: 'Lost',
  [ConnectionQuality.Unknown]: 'Checking…',
};

/**
 * The trainee's connection as LiveKit measures it, and what happens during a network blip: the
 * client reconnects on its own and the session carries on, so the page says so instead of ending.
 */
export function ConnectionStatus() {
  const state = useConnectionState();
  const { localParticipant } = useLocalParticipant();
  const { quality } = useConnectionQualityIndicator({ participant: localParticipant });
  if (state === ConnectionState.Reconnecting || state === ConnectionState.SignalReconnecting) {
    return (
      <p className="alert alert-warn" role="status" data-testid="connection-status">
        Connection lost for a moment. Reconnecting… your session continues where it was.
      </p>
    );
  }
  const poor = quality === ConnectionQuality.Poor || quality === ConnectionQuality.Lost;
  return (
    <p className={styles.connection} data-quality={quality} data-testid="connection-status">
      Connection: <strong>{QUALITY_LABELS[quality]}</strong>
      {poor ? ' — the conversation may break up. A wired or stronger connection helps.' : null}
    </p>
  );
}
