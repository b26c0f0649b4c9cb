import { describe, expect, it } from 'vitest';
import { parseJobMetadata } from './metadata';

const valid = {
  sessionId: '3f8c2a9e-1b7d-4c55-9a51-2d7e8f0b6c14',
  mode: 'roleplay',
  scenarioId: 'b2a4c6e8-0f1d-4e3c-8b5a-7c9d1e2f3a4b',
  dealershipId: '9d8c7b6a-5f4e-4d3c-a2b1-0f9e8d7c6b5a',
};

describe('parseJobMetadata', () => {
  it('accepts the dispatch the web app sends', () => {
    expect(parseJobMetadata(JSON.stringify(valid))).toEqual({ ok: true, metadata: valid });
  });

  it('keeps the web request id for the session’s log lines, and drops a malformed one without failing the dispatch', () => {
    expect(parseJobMetadata(JSON.stringify({ ...valid, requestId: 'a1b2-c3' }))).toEqual({ ok: true, metadata: { ...valid, requestId: 'a1b2-c3' } });
    const odd = parseJobMetadata(JSON.stringify({ ...valid, requestId: 'line\nbreak "quoted"' }));
    expect(odd).toEqual({ ok: true, metadata: valid });
  });

  it('rejects text that is not JSON, such as an empty dispatch', () => {
    expect(parseJobMetadata('')).toMatchObject({ ok: false, error: 'job metadata is not JSON' });
  });

  it('names each bad field', () => {
    const result = parseJobMetadata(JSON.stringify({ ...valid, sessionId: '42', mode: 'sales', dealershipId: undefined }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fields).sort()).toEqual(['dealershipId', 'mode', 'sessionId']);
  });

  it('rejects JSON that is not an object', () => {
    const result = parseJobMetadata('null');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fields).toHaveProperty('_root');
  });
});
