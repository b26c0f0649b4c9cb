/**
 * Runs once when the server starts: loading the env module validates the configuration, so a
 * production server with a missing secret fails at boot instead of on its first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./env');
}
