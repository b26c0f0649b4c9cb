// Runs a command against a throwaway Postgres (with pgvector) and removes it afterwards:
//   tsx scripts/with-postgres.ts -- vitest run --project integration db/src web/src/server
// The command gets DATABASE_URL (database `avatar`, pgvector created) and
// AVATAR_ADAM_TEST_DATABASE_URL, which makes createTestDb() give each test file a fresh database
// on this server instead of an in-memory PGlite.
import { spawn } from 'node:child_process';
import { SetupError } from './lib/livekit-binary';
import { startTempCluster } from './lib/postgres-cluster';
import { ensurePostgresWithPgvector } from './lib/postgres-install';

const log = (line: string) => process.stderr.write(`[with-postgres] ${line}\n`);
const args = process.argv.slice(2);
const command = args[0] === '--' ? args.slice(1) : args;

async function main(): Promise<number> {
  if (command.length === 0) throw new SetupError('usage: tsx scripts/with-postgres.ts -- <command> [args…]');
  const started = Date.now();
  const install = await ensurePostgresWithPgvector(log);
  const cluster = await startTempCluster(install, log);
  log(`Postgres (${install.source}) ready on port ${cluster.port} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  const stopOnSignal = (signal: NodeJS.Signals) => {
    void cluster.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const child = spawn(command[0]!, command.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: cluster.url, AVATAR_ADAM_TEST_DATABASE_URL: cluster.url },
    });
    return await new Promise<number>((resolve) => {
      child.once('error', (error) => {
        log(`cannot run ${command[0]}: ${error.message}`);
        resolve(127);
      });
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    await cluster.stop();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  log(`error: ${error instanceof SetupError ? error.message : String(error)}`);
  process.exitCode = 1;
}
