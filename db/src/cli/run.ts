import { isAppError } from '../errors';

/** Runs a command-line task: one clear line on failure, no stack trace unless DEBUG is set. */
export async function runCli(task: (log: (line: string) => void) => Promise<void>): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    await task(log);
  } catch (error) {
    const message = isAppError(error) || error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message}\n`);
    if (process.env.DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    process.exitCode = 1;
  }
}
