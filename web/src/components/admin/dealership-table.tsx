import type { RouterOutputs } from '@/server/api/root';
import styles from './admin.module.css';
import { DealershipActions } from './dealership-actions';

type TDealership = RouterOutputs['admin']['dealerships'][number];

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });

/** Every tenant, with what it holds and the actions on it. */
export function DealershipTable({ dealerships }: { dealerships: TDealership[] }) {
  if (dealerships.length === 0) return <p className={styles.hint}>No dealerships yet.</p>;
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">Dealership</th>
            <th scope="col">Status</th>
            <th scope="col">People</th>
            <th scope="col">Sessions</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {dealerships.map((d) => (
            <tr key={d.id}>
              <td>
                <strong>{d.name}</strong>
                <span className={styles.sub}>
                  {d.slug} · {d.timezone} · since {dateFormat.format(d.createdAt)}
                </span>
              </td>
              <td>
                <span className={styles.badge} data-status={d.status}>
                  {d.status === 'active' ? 'Active' : 'Suspended'}
                </span>
              </td>
              <td>{d.userCount}</td>
              <td>
                {d.sessionCount}
                {d.lastSessionAt ? <span className={styles.sub}>last {dateFormat.format(d.lastSessionAt)}</span> : null}
              </td>
              <td>
                <DealershipActions dealershipId={d.id} name={d.name} status={d.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
