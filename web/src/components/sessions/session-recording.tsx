import styles from './session-recording.module.css';

export type TRecordingPart = { id: string; durationMs: number; sizeBytes: number };

const length = (ms: number) => {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
};

/**
 * The session's audio: the trainee on the left, the agent on the right, as the agent heard and
 * played them. The player fetches it from the audio route in byte ranges as it seeks.
 */
export function SessionRecording(props: { sessionId: string; parts: TRecordingPart[]; status: string; persona: string }) {
  const { sessionId, parts, status, persona } = props;
  if (parts.length === 0) {
    const why =
      status === 'pending' || status === 'live'
        ? 'The recording is saved when the session ends.'
        : status === 'failed'
          ? 'The session ended unexpectedly, so its audio was not saved. The transcript below is complete.'
          : 'No audio was recorded for this session.';
    return <p className={styles.note}>{why}</p>;
  }
  return (
    <ol className={styles.parts}>
      {parts.map((part, i) => (
        <li key={part.id} className={styles.part}>
          <span className={styles.label}>
            {parts.length > 1 ? `Part ${i + 1} · ` : ''}
            {length(part.durationMs)}
          </span>
          <audio className={styles.player} controls preload="metadata" src={`/api/sessions/${sessionId}/recordings/${part.id}`} data-recording={part.id} />
        </li>
      ))}
      <li className={styles.hint}>The trainee is on the left channel, {persona} on the right; the transcript is below.</li>
    </ol>
  );
}
