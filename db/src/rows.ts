/**
 * Raw `db.execute(sql…)` returns the driver's own result shape: postgres.js gives an array of rows,
 * PGlite gives `{ rows }`. Code that must work on both (the embedded default and Postgres by URL)
 * reads rows through this.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  if (result && typeof result === 'object' && Array.isArray((result as { rows?: unknown }).rows)) {
    return (result as { rows: T[] }).rows;
  }
  throw new TypeError('Unexpected query result shape: neither an array of rows nor { rows }');
}
