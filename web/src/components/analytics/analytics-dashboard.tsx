'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { usePathname, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import type { RouterOutputs } from '@/server/api/root';
import { userMessageOf, useTRPC } from '@/trpc/react';
import { AnalyticsFilters } from './analytics-filters';
import styles from './analytics.module.css';
import { FirstToBestChart, LatencyChart } from './charts-progress';
import { ComplianceChart, SessionsChart, StepScoresChart } from './charts-weekly';
import { readRange, type TRange } from './series';
import { SummaryCards } from './summary-cards';

type TPerson = RouterOutputs['history']['trainees'][number];

/** The manager's team analytics: filters from the address bar, headline numbers, five charts. */
export function AnalyticsDashboard({ people }: { people: TPerson[] }) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  // "Today" is fixed for the life of the page, so the default range does not drift at midnight.
  const [today] = useState(() => new Date());
  const range = useMemo(() => readRange(searchParams, today, people.map((p) => p.id)), [searchParams, today, people]);
  const reversed = range.from > range.to;

  const dashboard = useQuery(
    trpc.analytics.dashboard.queryOptions(range, { enabled: !reversed, placeholderData: keepPreviousData }),
  );

  function setRange(next: TRange) {
    const query = new URLSearchParams({ from: next.from, to: next.to });
    if (next.traineeId) query.set('trainee', next.traineeId);
    // Next keeps useSearchParams in step with history.replaceState, without a server round trip.
    window.history.replaceState(null, '', `${pathname}?${query.toString()}`);
  }

  const data = dashboard.data;
  return (
    <div className={styles.dashboard}>
      <AnalyticsFilters range={range} people={people} onChange={setRange} />
      {reversed ? (
        <p className="alert alert-warn">The “From” date is after the “To” date. Change one of them to see the numbers.</p>
      ) : data ? (
        <div className={styles.dashboard} aria-busy={dashboard.isFetching}>
          {dashboard.isError ? (
            <p className="alert" role="alert">
              These numbers are for the previous filters: the new ones could not be loaded. {userMessageOf(dashboard.error)}
            </p>
          ) : null}
          <SummaryCards summary={data.summary} />
          <SessionsChart rows={data.sessionsPerWeek} range={range} />
          <StepScoresChart rows={data.stepScoresPerWeek} range={range} />
          <FirstToBestChart rows={data.firstToBest} range={range} />
          <ComplianceChart rows={data.complianceFlagsPerWeek} range={range} />
          <LatencyChart rows={data.latencyPerWeek} range={range} />
        </div>
      ) : dashboard.isError ? (
        <div className="alert" role="alert">
          <p className={styles.muted}>The analytics could not be loaded. {userMessageOf(dashboard.error)}</p>
          <button type="button" className="button button-secondary" onClick={() => void dashboard.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <p role="status" className={styles.muted}>
          Loading analytics…
        </p>
      )}
    </div>
  );
}
