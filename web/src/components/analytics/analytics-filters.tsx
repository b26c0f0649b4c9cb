import type { RouterOutputs } from '@/server/api/root';
import styles from './analytics.module.css';
import type { TRange } from './series';

type TPerson = RouterOutputs['history']['trainees'][number];

/** Date range and person; every change lands in the address bar, so a view can be shared. */
export function AnalyticsFilters(props: { range: TRange; people: TPerson[]; onChange: (next: TRange) => void }) {
  const { range, people, onChange } = props;
  return (
    <form className={styles.filters} aria-label="Analytics filters" onSubmit={(e) => e.preventDefault()}>
      <label className={styles.field}>
        <span>From</span>
        <input type="date" required value={range.from} max={range.to} onChange={(e) => e.target.value && onChange({ ...range, from: e.target.value })} />
      </label>
      <label className={styles.field}>
        <span>To</span>
        <input type="date" required value={range.to} min={range.from} onChange={(e) => e.target.value && onChange({ ...range, to: e.target.value })} />
      </label>
      <label className={styles.field}>
        <span>Trainee</span>
        <select value={range.traineeId ?? ''} onChange={(e) => onChange({ ...range, traineeId: e.target.value || undefined })}>
          <option value="">Everyone</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.role === 'dealership_admin' ? `${p.name} (manager)` : p.name}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
