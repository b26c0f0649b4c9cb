// The worker's shared voice process, forked by the agent worker's supervisor (supervisor.ts) when
// a job process first connects to the voice socket: it loads the Piper voice it is given, says it
// is ready, and then serves the connections the supervisor hands over. It exits when it has had no
// connection for its idle time, or when the supervisor is gone.
//   argv: <idle exit ms> <voice files as JSON>
// Kept to sherpa-onnx and pino (no agents-js, no settings parsing): a session that needs the voice
// waits for this process to start.
import type net from 'node:net';
import { pino } from 'pino';
import { type TPiperFiles, loadPiperVoice } from '../providers/piper-voice';
import { createVoiceService } from './server';

const logger = pino({ level: process.env.LOG_LEVEL || 'info', base: { pid: process.pid, task: 'shared-voice' } });
const idleExitMs = Number(process.argv[2]);
let files: TPiperFiles | undefined;
try {
  files = JSON.parse(process.argv[3] ?? '') as TPiperFiles;
} catch {
  files = undefined;
}
if (!process.send || !(idleExitMs > 0) || !files?.model || !files.tokens) {
  process.stderr.write('usage: forked by the agent worker with an IPC channel: <idle exit ms> <voice files JSON>\n');
  process.exit(2);
}
// The supervisor died or let go: nothing is left to serve.
process.on('disconnect', () => process.exit(0));

try {
  const started = performance.now();
  const voice = await loadPiperVoice(files, 2);
  let idle: NodeJS.Timeout | undefined;
  const armIdleExit = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      if (service.connections > 0) return;
      logger.info({ idleExitMs }, 'shared voice idle: exiting');
      process.exit(0);
    }, idleExitMs);
  };
  const service = createVoiceService({
    voice,
    onError: (error) => logger.warn({ err: error }, 'a client sent a malformed message'),
    onIdle: armIdleExit,
  });
  process.on('message', (message: { type?: string }, handle?: net.Socket) => {
    if (message?.type !== 'client' || !handle) return;
    clearTimeout(idle);
    service.accept(handle);
  });
  armIdleExit();
  logger.info({ loadMs: Math.round(performance.now() - started), model: files.model }, 'shared voice ready');
  process.send({ type: 'ready' });
} catch (error) {
  logger.error({ err: error }, 'the shared voice did not start');
  process.send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
