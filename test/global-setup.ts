import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SEEDED_SNAPSHOT_ENV, writeSeededSnapshot } from '@avatar-adam/db/testing';

/**
 * Integration tests: one migrated, seeded in-memory database per run, saved as a PGlite data
 * folder that createTestDb() and the test stack load instead of running initdb, the migrations
 * and the seed again in every file (~3 s each). Not with `npm run test:postgres`, whose databases
 * are Postgres ones.
 *
 * Both integration projects name this file; the first to start makes the snapshot, and it is
 * removed when the test run's process exits (a project's teardown could come before the other
 * project is done with it).
 */
export default async function setup() {
  if (process.env.AVATAR_ADAM_TEST_DATABASE_URL || process.env[SEEDED_SNAPSHOT_ENV]) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-seeded-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'seeded.tar');
  await writeSeededSnapshot(file);
  // Inherited by the test workers, which start after this.
  process.env[SEEDED_SNAPSHOT_ENV] = file;
}
