'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import type { RouterInputs, RouterOutputs } from '@/server/api/root';
import { userMessageOf, useTRPC } from '@/trpc/react';
import { labelOf } from './labels';
import styles from './session-history.module.css';

type TPerson = RouterOutputs['history']['trainees'][number];
type TRow = RouterOutputs['history']['list']['items'][number];
type TQueryFilters = NonNullable<RouterInputs['history']['list']['filters']>;
type TMode = NonNullable<TQueryFilters['mode']>;
type TStatus = NonNullable<TQueryFilters['status']>;

const PAGE_SIZE = 20;
const MODE_LABELS: Record<TMode, string> = { roleplay: 'Role-play', coach: 'Coaching' };
const STATUS_LABELS: Record<TStatus, string> = {
  ended: 'Finished',
  failed: 'Ended early',
  live: 'In progress',
  pending: 'Starting',
};

/** The filters as they stand in the address bar, so a filtered view can be shared as a link. */
type TUrlFilters = { trainee?: string; mode?: TMode; status?: TStatus; from?: string; to?: string };

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Local midnight `addDays` after the calendar day `day` (YYYY-MM-DD), or null for a day that does not exist. */
function localMidnight(day: string, addDays = 0): Date | null {
  if (!ISO_DAY.test(day)) return null;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const exact = new Date(y, m - 1, d);
  // Date rolls 2025-02-30 over into March; such a day is not a filter anyone meant.
  if (exact.getFullYear() !== y || exact.getMonth() !== m - 1 || exact.getDate() !== d) return null;
  return new Date(y, m - 1, d + addDays);
}

/** Values someone edited into the link that mean nothing are left out, and the controls show what applies. */
function readFilters(params: { get(name: string): string | null }, people: TPerson[] | null): TUrlFilters {
  const pick = <T extends string>(value: string | null, allowed: readonly T[]) =>
    allowed.find((a) => a === value);
  const day = (value: string | null) => (value && localMidnight(value) ? value : undefined);
  const trainee = params.get('trainee');
  return {
    trainee: people?.some((p) => p.id === trainee) ? (trainee ?? undefined) : undefined,
    mode: pick(params.get('mode'), Object.keys(MODE_LABELS) as TMode[]),
    status: pick(params.get('status'), Object.keys(STATUS_LABELS) as TStatus[]),
    from: day(params.get('from')),
    to: day(params.get('to')),
  };
}

/** Whole days in the browser's time zone: from the first midnight to the midnight after the last day. */
function toQueryFilters(f: TUrlFilters): TQueryFilters {
  return {
    traineeId: f.trainee,
    mode: f.mode,
    status: f.status,
    from: f.from ? (localMidnight(f.from) ?? undefined) : undefined,
    to: f.to ? (localMidnight(f.to, 1) ?? undefined) : undefined,
  };
}

export function SessionHistory({ people }: { people: TPerson[] | null }) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filters = useMemo(() => readFilters(searchParams, people), [searchParams, people]);
  const queryFilters = useMemo(() => toQueryFilters(filters), [filters]);
  const rangeBackwards = Boolean(filters.from && filters.to && filters.from > filters.to);
  const isFiltered = Object.values(filters).some(Boolean);

  const list = useInfiniteQuery(
    trpc.history.list.infiniteQueryOptions(
      { filters: queryFilters, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor, enabled: !rangeBackwards },
    ),
  );

  function setFilters(next: TUrlFilters) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value) query.set(key, value);
    const text = query.toString();
    // Next keeps useSearchParams in step with history.replaceState, without a server round trip.
    window.history.replaceState(null, '', text ? `${pathname}?${text}` : pathname);
  }
  const update = (patch: Partial<TUrlFilters>) => setFilters({ ...filters, ...patch });

  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className={styles.history}>
      <form className={styles.filters} aria-label="Filter sessions" onSubmit={(e) => e.preventDefault()}>
        {people ? (
          <label className={styles.field}>
            <span>Trainee</span>
            <select value={filters.trainee ?? ''} onChange={(e) => update({ trainee: e.target.value || undefined })}>
              <option value="">Everyone</option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.role === 'dealership_admin' ? `${p.name} (manager)` : p.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className={styles.field}>
          <span>Type</span>
          <select value={filters.mode ?? ''} onChange={(e) => update({ mode: (e.target.value || undefined) as TMode | undefined })}>
            <option value="">All types</option>
            {Object.entries(MODE_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.field}>
          <span>Status</span>
          <select value={filters.status ?? ''} onChange={(e) => update({ status: (e.target.value || undefined) as TStatus | undefined })}>
            <option value="">Any status</option>
            {Object.entries(STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.field}>
          <span>From</span>
          <input type="date" value={filters.from ?? ''} max={filters.to} onChange={(e) => update({ from: e.target.value || undefined })} />
        </label>
        <label className={styles.field}>
          <span>To</span>
          <input type="date" value={filters.to ?? ''} min={filters.from} onChange={(e) => update({ to: e.target.value || undefined })} />
        </label>
        {isFiltered ? (
          <button type="button" className={`button button-secondary ${styles.clear}`} onClick={() => setFilters({})}>
            Clear filters
          </button>
        ) : null}
      </form>

      {rangeBackwards ? (
        <p className="alert alert-warn">The “From” date is after the “To” date. Change one of them to see sessions.</p>
      ) : list.data ? (
        rows.length === 0 ? (
          <EmptyState filtered={isFiltered} manager={people !== null} onClear={() => setFilters({})} />
        ) : (
          <>
            <SessionTable rows={rows} showTrainee={people !== null} />
            {list.isFetchNextPageError ? (
              <p className="alert" role="alert">
                More sessions could not be loaded. {userMessageOf(list.error)}
              </p>
            ) : null}
            {list.hasNextPage ? (
              <button
                type="button"
                className={`button button-secondary ${styles.more}`}
                disabled={list.isFetchingNextPage}
                onClick={() => void list.fetchNextPage()}
              >
                {list.isFetchingNextPage ? 'Loading…' : list.isFetchNextPageError ? 'Try again' : 'Load more'}
              </button>
            ) : (
              <p className={styles.muted}>
                {rows.length === 1 ? 'That is the only session.' : `That is all ${rows.length} sessions.`}
              </p>
            )}
          </>
        )
      ) : list.isError ? (
        <div className="alert" role="alert">
          <p className={styles.errorText}>The sessions could not be loaded. {userMessageOf(list.error)}</p>
          <button type="button" className="button button-secondary" onClick={() => void list.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <p role="status" className={styles.muted}>
          Loading sessions…
        </p>
      )}
    </div>
  );
}

function EmptyState(props: { filtered: boolean; manager: boolean; onClear: () => void }) {
  if (props.filtered) {
    return (
      <div className={styles.empty}>
        <p>No sessions match these filters.</p>
        <button type="button" className="button button-secondary" onClick={props.onClear}>
          Clear filters
        </button>
      </div>
    );
  }
  return (
    <div className={styles.empty}>
      <p>{props.manager ? 'No one at your dealership has practised yet.' : 'You have not practised yet.'}</p>
      <p className={styles.muted}>
        Sessions appear here as soon as they start. <Link href="/practice">Start one on the Practice page.</Link>
      </p>
    </div>
  );
}

function SessionTable({ rows, showTrainee }: { rows: TRow[]; showTrainee: boolean }) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Scenario</th>
            <th scope="col">Type</th>
            {showTrainee ? <th scope="col">Trainee</th> : null}
            <th scope="col">Status</th>
            <th scope="col">Score</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td className={styles.nowrap}>
                <time dateTime={row.createdAt.toISOString()}>
                  {row.createdAt.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' })}
                </time>
              </td>
              <td>
                <Link href={`/sessions/${row.id}`} className={styles.title}>
                  {row.scenarioTitle}
                </Link>
                <span className={styles.sub}>with {row.personaName}</span>
              </td>
              <td className={styles.nowrap}>
                {MODE_LABELS[row.mode]}
                {row.channel === 'phone' ? <span className={styles.sub}>by phone</span> : null}
              </td>
              {showTrainee ? <td className={styles.nowrap}>{row.traineeName}</td> : null}
              <td>
                <span className={styles.status} data-status={row.status}>
                  {STATUS_LABELS[row.status]}
                </span>
              </td>
              <td>
                <ScoreCell row={row} />
              </td>
              <td className={styles.nowrap}>{row.endedAt ? formatDuration(row.endedAt.getTime() - row.createdAt.getTime()) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ScoreCell({ row }: { row: TRow }) {
  const autoFail = row.autoFailed ? (
    <span className={styles.autoFail} title="A compliance rule was broken in this session">
      Auto-fail
    </span>
  ) : null;
  if (row.scorecardStatus === 'complete' && row.overallScore !== null) {
    return (
      <span className={styles.score}>
        <strong>{Math.round(row.overallScore)}</strong>
        <span className={styles.muted}>/100</span>
        {row.tier ? (
          <span className={styles.tier} data-tier={row.tier}>
            {labelOf(row.tier)}
          </span>
        ) : null}
        {autoFail}
      </span>
    );
  }
  if (row.mode === 'coach') return <span className={styles.muted}>No score (coaching)</span>;
  if (row.scorecardStatus === 'pending') return <span className={styles.muted}>Being scored…</span>;
  if (row.scorecardStatus === 'failed') return <span className={styles.muted}>Could not be scored</span>;
  if (row.status === 'pending' || row.status === 'live') return <span className={styles.muted}>After it ends</span>;
  return (
    <span className={styles.score}>
      <span className={styles.muted}>Not scored</span>
      {autoFail}
    </span>
  );
}

/** "45 s", "4 min 05 s", "1 h 02 min". */
function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
