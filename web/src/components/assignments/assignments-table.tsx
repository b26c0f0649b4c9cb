import type { RouterOutputs } from '@/server/api/root';
import styles from './assignments.module.css';
import { formatDue } from './labels';
import { RemoveAssignmentButton } from './remove-assignment-button';
import { StatusBadge } from './status-badge';

type TRow = RouterOutputs['assignment']['list'][number];

/** Every assignment of the dealership, soonest due first, with how each trainee is doing. */
export function AssignmentsTable({ rows }: { rows: TRow[] }) {
  if (rows.length === 0) return <p className={styles.muted}>Nothing assigned yet.</p>;
  return (
    <table className={styles.table}>
      <thead>
        <tr>
          <th scope="col">Trainee</th>
          <th scope="col">Scenario</th>
          <th scope="col">Due</th>
          <th scope="col">Pass mark</th>
          <th scope="col">Status</th>
          <th scope="col">Best score</th>
          <th scope="col">Attempts</th>
          <th scope="col" aria-label="Action" />
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr key={a.id} data-assignment-id={a.id}>
            <td>{a.traineeName}</td>
            <td>
              {a.scenarioTitle}
              {a.scenarioActive ? null : <span className={styles.muted}> (archived)</span>}
            </td>
            <td>{formatDue(a.dueAt)}</td>
            <td className={styles.numeric}>{a.passMark}</td>
            <td>
              <StatusBadge status={a.status} />
            </td>
            <td className={styles.numeric}>{a.bestScore === null ? '—' : Math.round(a.bestScore)}</td>
            <td className={styles.numeric}>{a.attempts}</td>
            <td>
              <RemoveAssignmentButton assignmentId={a.id} label={`Remove ${a.scenarioTitle} for ${a.traineeName}`} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
