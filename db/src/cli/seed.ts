import { createDb } from '../client';
import { migrate } from '../migrate';
import { seedDemoData } from '../seed';
import { runCli } from './run';

await runCli(async (log) => {
  const handle = await createDb({ url: process.env.DATABASE_URL || undefined });
  try {
    await migrate(handle);
    const result = await seedDemoData({ db: handle.db });
    log(
      `seeded ${handle.kind}: ${result.scenariosCreated} new scenarios, ${result.documentsCreated} new documents`,
    );
  } finally {
    await handle.close();
  }
});
