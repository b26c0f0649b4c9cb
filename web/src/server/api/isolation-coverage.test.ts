import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appRouter } from './root';

/**
 * Makes a procedure without an isolation test stand out: every procedure of the API must be called
 * (`.router.procedure(`) by a test file that also asserts a refusal (another dealership, another
 * trainee, a lower role or no session → FORBIDDEN / NOT_FOUND / UNAUTHORIZED). Adding a procedure
 * without such a test fails here with its name.
 */
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const SEARCHED = ['web/src', 'test'];
const REFUSAL = /\b(FORBIDDEN|NOT_FOUND|UNAUTHORIZED)\b/;
/** Reached without a session by design: they act on an emailed token, never on a tenant's data. */
const PUBLIC: Record<string, string> = {
  'auth.requestPasswordReset': 'answers the same for every address; sends mail only to the owner',
  'auth.resetPassword': 'needs the single-use token from the reset email',
  'invitation.accept': 'needs the single-use token from the invitation email',
};

function testFiles(dir: string): string[] {
  return readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : testFiles(rel);
    return /\.test\.tsx?$/.test(entry.name) ? [rel] : [];
  });
}

const procedures = Object.keys((appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures).sort();
const files = SEARCHED.flatMap(testFiles)
  .filter((f) => !f.endsWith('isolation-coverage.test.ts'))
  .map((f) => ({ file: f, text: readFileSync(path.join(REPO, f), 'utf8') }));

describe('tenant isolation coverage', () => {
  it('finds the API', () => {
    expect(procedures.length).toBeGreaterThan(30);
    expect(procedures).toContain('session.start');
  });

  // Tests call either `caller.router.procedure(` or, through a router-scoped caller, `.procedure(`
  // in a file about that router.
  const callsOf = (procedure: string) => {
    const [router = '', name = ''] = procedure.split('.');
    return (text: string) => text.includes(`.${procedure}(`) || (text.includes(`.${name}(`) && new RegExp(`\\b${router}\\b`).test(text));
  };

  it.each(procedures)('%s is called by a test that asserts a refusal', (procedure) => {
    const calls = callsOf(procedure);
    const covering = files.filter((f) => calls(f.text) && (procedure in PUBLIC || REFUSAL.test(f.text))).map((f) => f.file);
    expect(covering, `no test calls ${procedure} next to a FORBIDDEN/NOT_FOUND/UNAUTHORIZED assertion`).not.toEqual([]);
  });

  it('would notice a procedure nobody calls', () => {
    expect(files.filter((f) => callsOf('phone.forwardToVoicemail')(f.text))).toEqual([]);
  });

  it('lists only public procedures that exist', () => {
    expect(Object.keys(PUBLIC).filter((p) => !procedures.includes(p))).toEqual([]);
  });
});
