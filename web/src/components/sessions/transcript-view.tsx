import type { RouterOutputs } from '@/server/api/root';
import { CitationList } from './citation-list';
import { formatMs } from './labels';
import styles from './session-review.module.css';

type TTranscript = RouterOutputs['history']['transcript'];
type TLatency = NonNullable<TTranscript['turns'][number]['latency']>;

/** The stages of a reply's latency, in the order the voice pipeline goes through them. */
const LATENCY_PARTS: ReadonlyArray<readonly [keyof TLatency, string]> = [
  ['endOfUtteranceDelayMs', 'end of speech'],
  ['transcriptionDelayMs', 'transcription'],
  ['llmTtftMs', 'first token'],
  ['ttsTtfbMs', 'first audio'],
];

export const turnAnchor = (sequence: number) => `turn-${sequence}`;

/** Every turn as it was heard, with Adam's sources and how long each reply took to start. */
export function TranscriptView({ transcript }: { transcript: TTranscript }) {
  const { session, turns } = transcript;
  if (turns.length === 0) {
    return <p className={styles.muted}>Nothing was said in this session.</p>;
  }
  return (
    <ol className={styles.transcript}>
      {turns.map((turn) => (
        <li key={turn.id} id={turnAnchor(turn.sequence)} className={styles.turn} data-speaker={turn.speaker}>
          <p className={styles.turnHead}>
            <span className={styles.turnNumber}>{turn.sequence}</span>
            <strong>{turn.speaker === 'trainee' ? session.traineeName : session.personaName}</strong>
            {turn.interrupted ? <span className={styles.interrupted}>interrupted</span> : null}
          </p>
          <p className={styles.turnText}>
            {turn.text}
            {turn.interrupted ? <span className={styles.cutOff}>…</span> : null}
          </p>
          {turn.citations.length > 0 ? (
            <div className={styles.turnSources}>
              <p className={styles.sourcesLabel}>Sources</p>
              <CitationList citations={turn.citations} />
            </div>
          ) : null}
          {turn.latency ? <LatencyLine latency={turn.latency} /> : null}
        </li>
      ))}
    </ol>
  );
}

function LatencyLine({ latency }: { latency: TLatency }) {
  const parts = LATENCY_PARTS.flatMap(([key, label]) => {
    const value = latency[key];
    return value === null ? [] : [`${label} ${formatMs(value)}`];
  });
  return (
    <p className={styles.latency}>
      {latency.voiceToVoiceMs !== null ? (
        <>
          Reply started after <strong>{formatMs(latency.voiceToVoiceMs)}</strong>
        </>
      ) : (
        'Reply latency'
      )}
      {parts.length > 0 ? ` (${parts.join(', ')})` : null}
    </p>
  );
}
