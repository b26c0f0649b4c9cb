import type { TAssignmentStatus } from '@avatar-adam/db';
import styles from './assignments.module.css';
import { STATUS_LABELS } from './labels';

export function StatusBadge({ status }: { status: TAssignmentStatus }) {
  return (
    <span className={styles.status} data-status={status}>
      {STATUS_LABELS[status]}
    </span>
  );
}
