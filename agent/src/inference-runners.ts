import { InferenceRunner, log } from '@livekit/agents';

/**
 * Keeps the worker from starting agents-js's shared inference process. The worker registers
 * LiveKit's local end-of-turn model there by default, and that process holds ~300 MB while idle;
 * this worker detects turns with the Silero VAD, so nothing would ever call it. Each skipped
 * registration is logged, so a later local model (a turn detector plugin) is not dropped unseen.
 */
export function skipLocalInferenceRunners(): void {
  InferenceRunner.registerRunner = (method: string) => {
    log().info({ method }, 'local inference runner not started: turns are detected with the VAD');
  };
}
