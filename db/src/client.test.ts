import { describe, expect, it } from 'vitest';
import { createDb, parseDatabaseUrl } from './client';
import { AppError } from './errors';

describe('parseDatabaseUrl', () => {
  it('strips our prepare flag and hides credentials from the target', () => {
    const parsed = parseDatabaseUrl('postgres://u:secret@db.internal:6543/app?prepare=false');
    expect(parsed.prepare).toBe(false);
    expect(parsed.url).not.toContain('prepare');
    expect(parsed.target).toBe('db.internal:6543/app');
    expect(parsed.target).not.toContain('secret');
  });
  it('rejects a URL of another database kind with a message naming DATABASE_URL', () => {
    expect(() => parseDatabaseUrl('mysql://x@y/z')).toThrow(/DATABASE_URL must start with postgres/);
    expect(() => parseDatabaseUrl('not a url')).toThrow(AppError);
  });
});

describe('createDb', () => {
  it('says clearly when the Postgres server cannot be reached', async () => {
    // Port 9 (discard) on loopback: nothing listens there.
    await expect(createDb({ url: 'postgres://u:p@127.0.0.1:9/app' })).rejects.toThrow(
      /Cannot reach the database at 127\.0\.0\.1:9\/app .*DATABASE_URL/,
    );
  });
});
