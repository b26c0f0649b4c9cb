import type { RouterOutputs } from '@/server/api/root';
import { formatMs } from '../sessions/labels';
import styles from './analytics.module.css';

type TSummary = RouterOutputs['analytics']['dashboard']['summary'];

/** The range's headline numbers, as a description list (term → value) for screen readers. */
export function SummaryCards({ summary }: { summary: TSummary }) {
  const stats: Array<[string, string]> = [
    ['Sessions', String(summary.sessions)],
    ['Completed', String(summary.completedSessions)],
    ['People practising', String(summary.activeTrainees)],
    ['Average score', summary.averageScore === null ? '—' : `${summary.averageScore.toFixed(1)} / 100`],
    ['Auto-failed', summary.scoredSessions === 0 ? '—' : `${summary.autoFailedSessions} of ${summary.scoredSessions}`],
    ['Typical voice latency', summary.voiceToVoiceP50 === null ? '—' : formatMs(summary.voiceToVoiceP50)],
  ];
  return (
    <dl className={styles.summary} aria-label="Summary">
      {stats.map(([term, value]) => (
        <div key={term} className={styles.stat}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
