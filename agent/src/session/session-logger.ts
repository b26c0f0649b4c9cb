import { log } from '@livekit/agents';

type Logger = ReturnType<typeof log>;

/** What every log line of a session carries, so one filter finds the whole session. */
export type TSessionLogFields = {
  sessionId: string;
  roomName: string;
  dealershipId: string;
  jobId: string;
  /** The web request that started the session (`x-request-id`), when the dispatch carries it. */
  requestId?: string;
};

/**
 * Binds the session's fields onto the job process's logger and returns it. A job process runs
 * exactly one job and then exits (agents-js `job_proc_lazy_main`), so its process-wide logger is
 * the session's: bound there, the fields reach every line logged for the session from here on —
 * ours, the engines' (which log through `log()`), and agents-js's own (voice pipeline, room) —
 * not only the lines of code handed a child logger. Fields already bound are left as they are,
 * so calling it again (a phone call learning its session) never duplicates a key.
 */
export function bindSessionLogger(fields: TSessionLogFields, logger: Logger = log()): Logger {
  const bound = logger.bindings();
  const missing = Object.fromEntries(
    Object.entries(fields).filter(([key, value]) => value !== undefined && !(key in bound)),
  );
  if (Object.keys(missing).length > 0) logger.setBindings(missing);
  return logger;
}
