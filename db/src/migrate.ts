import type { DbHandle } from './client';
import { MIGRATIONS_DIR } from './paths';

/** Applies the committed migrations; safe to run on every start (already-applied ones are skipped). */
export async function migrate(handle: DbHandle): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (handle.kind === 'pglite') {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    await run(handle.db as never, config);
  } else {
    const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
    await run(handle.db as never, config);
  }
}
