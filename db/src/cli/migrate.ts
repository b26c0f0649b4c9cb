import { createDb } from '../client';
import { migrate } from '../migrate';
import { runCli } from './run';

await runCli(async (log) => {
  const handle = await createDb({ url: process.env.DATABASE_URL || undefined });
  try {
    await migrate(handle);
    log(`migrations applied (${handle.kind}: ${handle.target})`);
  } finally {
    await handle.close();
  }
});
