import type { ReactNode } from 'react';
import styles from './analytics.module.css';

/**
 * One chart with its title, its CSV download and its numbers as a table. The drawing is hidden
 * from screen readers; the table (behind "Show the numbers") carries the same data for them and
 * for anyone who wants exact values.
 */
export function ChartCard(props: {
  id: string;
  title: string;
  description: string;
  csvHref: string;
  isEmpty: boolean;
  emptyText: string;
  chart: ReactNode;
  table: ReactNode;
}) {
  const titleId = `${props.id}-title`;
  return (
    <section className={styles.card} aria-labelledby={titleId} data-testid={`chart-${props.id}`}>
      <header className={styles.cardHead}>
        <div>
          <h2 id={titleId} className={styles.cardTitle}>
            {props.title}
          </h2>
          <p>{props.description}</p>
        </div>
        <a className={`button button-secondary ${styles.download}`} href={props.csvHref} download aria-label={`Download CSV: ${props.title}`}>
          Download CSV
        </a>
      </header>
      {props.isEmpty ? (
        <p className={styles.muted}>{props.emptyText}</p>
      ) : (
        <>
          <div className={styles.chart} aria-hidden="true">
            {props.chart}
          </div>
          <details className={styles.numbers}>
            <summary>Show the numbers</summary>
            {props.table}
          </details>
        </>
      )}
    </section>
  );
}

export type TColumn<T> = { header: string; cell: (row: T) => ReactNode };

/** A plain table of a chart's rows, captioned for screen readers. */
export function DataTable<T>(props: { caption: string; rows: readonly T[]; columns: ReadonlyArray<TColumn<T>>; rowKey: (row: T) => string }) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <caption className={styles.visuallyHidden}>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.header} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((c) => (
                <td key={c.header}>{c.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Legend entries in the text colour: series colours such as yellow are unreadable as text. */
export function legendText(value: unknown): ReactNode {
  return <span className={styles.legendText}>{String(value)}</span>;
}
