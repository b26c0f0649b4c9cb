'use client';

import { useQuery } from '@tanstack/react-query';
import type { RouterOutputs } from '@/server/api/root';
import { useTRPC } from '@/trpc/react';
import styles from './assignments.module.css';
import { formatDue } from './labels';
import { StatusBadge } from './status-badge';

export type TMyAssignment = RouterOutputs['assignment']['mine'][number];

/**
 * The trainee's assignments at the top of the practice page, open ones first. Starting one starts
 * a session that carries the assignment, so it counts even if the same scenario is assigned twice.
 * Nothing is shown to someone with no assignments.
 */
export function MyAssignments(props: { startingId: string | null; busy: boolean; onStart: (assignment: TMyAssignment) => void }) {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.assignment.mine.queryOptions());
  if (!data || data.length === 0) return null;
  const open = data.filter((a) => a.status !== 'passed');
  const sorted = [...open, ...data.filter((a) => a.status === 'passed')];

  return (
    <section className={styles.mine} aria-labelledby="my-assignments">
      <h2 id="my-assignments">Your assignments</h2>
      <ul className={styles.items}>
        {sorted.map((a) => (
          <li key={a.id} className={styles.item} data-assignment-id={a.id}>
            <div>
              <h3>{a.scenarioTitle}</h3>
              <p className={styles.itemMeta}>
                Due {formatDue(a.dueAt)} · pass mark {a.passMark}
                {a.bestScore === null ? '' : ` · best ${Math.round(a.bestScore)}`} · {a.attempts}{' '}
                {a.attempts === 1 ? 'attempt' : 'attempts'}
              </p>
            </div>
            <div className={styles.actions}>
              <StatusBadge status={a.status} />
              <button
                type="button"
                className="button"
                disabled={props.busy || !a.scenarioActive}
                aria-label={`Start ${a.scenarioTitle}`}
                onClick={() => props.onStart(a)}
              >
                {props.startingId === a.id ? 'Starting…' : !a.scenarioActive ? 'Archived' : a.status === 'passed' ? 'Practise again' : 'Start'}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
