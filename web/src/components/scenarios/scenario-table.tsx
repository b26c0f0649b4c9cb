import Link from 'next/link';
import type { RouterOutputs } from '@/server/api/root';
import styles from './scenario-table.module.css';

type TRow = RouterOutputs['scenarioBuilder']['list'][number];

/** The scenarios an editor can open: their own (editable) and, for managers, the platform's (read-only). */
export function ScenarioTable({ rows, platformEditor }: { rows: TRow[]; platformEditor: boolean }) {
  if (rows.length === 0) return <p className={styles.muted}>No scenarios yet.</p>;
  return (
    <table className={styles.table}>
      <thead>
        <tr>
          <th scope="col">Scenario</th>
          <th scope="col">Mode</th>
          <th scope="col">Difficulty</th>
          <th scope="col">{platformEditor ? 'Status' : 'Owner'}</th>
          <th scope="col" aria-label="Action" />
        </tr>
      </thead>
      <tbody>
        {rows.map((s) => (
          <tr key={s.id} data-scenario-id={s.id}>
            <td>
              <strong>{s.title}</strong>
              <div className={styles.muted}>
                {s.mode === 'coach' ? 'With' : 'Customer:'} {s.personaName}
                {s.vehicle ? ` · ${s.vehicle}` : ''}
              </div>
            </td>
            <td>{s.mode === 'coach' ? 'Coaching' : 'Role-play'}</td>
            <td className={styles.capitalize}>{s.difficulty}</td>
            <td>
              {platformEditor ? null : <span className={styles.tag}>{s.isPlatform ? 'Platform' : 'Your dealership'}</span>}{' '}
              {s.isActive ? (platformEditor ? 'Active' : null) : <span className={styles.tag}>Archived</span>}
            </td>
            <td>
              <Link href={`/scenarios/${s.id}`} aria-label={`${s.editable ? 'Edit' : 'View'} ${s.title}`}>
                {s.editable ? 'Edit' : 'View'}
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
