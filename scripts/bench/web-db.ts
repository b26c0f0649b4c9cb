// bench:web's database, in a process of its own (as `npm run dev` serves it to web and agent):
// an in-memory embedded Postgres, migrated, seeded, with a quarter of synthetic practice history.
// Prints one "bench-db ready {json}" line, then serves until SIGTERM.
import { createDb } from '@avatar-adam/db';
import { sql } from 'drizzle-orm';
import { startEmbeddedDatabase } from '@avatar-adam/db/embedded';
import { seedDemoData } from '@avatar-adam/db/seed';
import { addSyntheticHistory } from './web-data';

const embedded = await startEmbeddedDatabase({ dataDir: 'memory', port: 0 });
const handle = await createDb({ url: embedded.url });
const seeded = await seedDemoData({ db: handle.db });
const counts = await addSyntheticHistory(handle.db, { dealershipId: seeded.dealershipId, now: new Date() });
// Postgres's autovacuum would gather statistics after a bulk insert like this; PGlite has no
// autovacuum, and without statistics the planner picks nested loops that make history.list
// ~150x slower (600 ms instead of 4 ms on 2,000 sessions). See the report of this benchmark.
await handle.db.execute(sql`analyze`);
await handle.close();
process.stdout.write(`bench-db ready ${JSON.stringify({ url: embedded.url, counts })}\n`);

const stop = () => void embedded.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
