import { Writable } from 'node:stream';
import type { log } from '@livekit/agents';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { bindSessionLogger } from './session-logger';

function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString().trim());
      done();
    },
  });
  // agents-js types its logger with its own copy of pino; at run time both are pino loggers.
  return { logger: pino({ level: 'debug' }, stream) as unknown as ReturnType<typeof log>, lines };
}

const FIELDS = {
  sessionId: '3f8c2a9e-1b7d-4c55-9a51-2d7e8f0b6c14',
  roomName: 'practice-3f8c2a9e',
  dealershipId: '9d8c7b6a-5f4e-4d3c-a2b1-0f9e8d7c6b5a',
  jobId: 'AJ_test',
  requestId: 'req-42',
};

describe('bindSessionLogger', () => {
  it('puts the session’s fields on every later line of the process logger, children included', () => {
    const { logger, lines } = capturedLogger();
    const engineLogger = logger;
    const session = bindSessionLogger(FIELDS, logger);
    session.info('practice session dispatched');
    // An engine or agents-js logging through the process logger, or a child made from it later.
    engineLogger.warn('whisper worker died; restarting it');
    logger.child({ component: 'recorder' }).info('reply latency');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject(FIELDS);
  });

  it('binds a field once however often it is called, and leaves out what is unknown', () => {
    const { logger, lines } = capturedLogger();
    bindSessionLogger({ ...FIELDS, requestId: undefined }, logger).info('practice session dispatched');
    expect(lines[0]).not.toContain('requestId');
    // Called again (a phone call learning its session): new fields join, bound ones stay.
    bindSessionLogger({ ...FIELDS, sessionId: 'another' }, logger).info('practice session started');
    const line = lines[1]!;
    expect(line.match(/"sessionId"/g)).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject(FIELDS);
  });
});
