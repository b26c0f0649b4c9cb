// How soon a barge-in's pause is heard, and what a resumed sentence loses: the agent's audio
// output (agents-js ParticipantAudioOutput, 200 ms queue, 50 ms frames as our local voices push
// them) in a real LiveKit room with a listener participant, the held pause (AGENT_PAUSE_HOLDS_AUDIO
// on, the default) against agents-js's own (off), alternating, in the same run. Two cases: paused
// mid-reply while frames are still arriving, and paused after the reply's last frame was handed
// over (the TTS finished first), when agents-js's own pause lets its whole queue play on.
// Usage: npm run bench:pause [-- --runs 10]
import { findRepoRoot } from '@avatar-adam/db';
import { initializeLogger } from '@livekit/agents';
import { openPauseRoom, type TPausePlayout } from '../lib/pause-playout';
import { cpuCalibrationMs } from './engines/machine';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 10;
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 100) throw new Error('--runs takes a whole number from 1 to 100');

const CASES = [
  { name: 'mid-reply (frames still arriving)', totalMs: 3000, pauseAfterMs: 1000 },
  { name: 'after the last frame was handed over', totalMs: 1500, pauseAfterMs: 1400 },
] as const;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const fmt = (ms: number) => `${Math.round(ms)} ms`;

async function main() {
  initializeLogger({ pretty: false, level: 'warn' });
  const calibrationStart = cpuCalibrationMs();
  const room = await openPauseRoom(findRepoRoot());
  const results = new Map<string, TPausePlayout[]>();
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const c of CASES) {
        // alternate which goes first, so drift in the machine's speed hits both alike
        const order = i % 2 === 0 ? [true, false] : [false, true];
        for (const hold of order) {
          const r = await room.playWithPause({ holdAudioOnPause: hold, totalMs: c.totalMs, pauseAfterMs: c.pauseAfterMs });
          const key = `${c.name}|${hold}`;
          results.set(key, [...(results.get(key) ?? []), r]);
          process.stderr.write('.');
        }
      }
    }
  } finally {
    await room.close();
  }
  process.stderr.write('\n');
  const lines = [
    `bench:pause — ${RUNS} pauses per case and setting, a 1 s pause each; single-core calibration ${fmt(calibrationStart)} at start, ${fmt(cpuCalibrationMs())} at end`,
    '',
    'case / figure                                              held (on)     own (off)    on ÷ off',
  ];
  for (const c of CASES) {
    const on = results.get(`${c.name}|true`)!;
    const off = results.get(`${c.name}|false`)!;
    const row = (label: string, pick: (r: TPausePlayout) => number, p: number) => {
      const a = percentile(on.map(pick), p);
      const b = percentile(off.map(pick), p);
      const ratio = b > 0 ? `${(a / b).toFixed(2)}×` : '—';
      lines.push(`  ${label.padEnd(55)} ${fmt(a).padStart(9)}  ${fmt(b).padStart(12)}  ${ratio.padStart(10)}`);
    };
    lines.push(`${c.name}`);
    row('audio heard after the pause, p50', (r) => r.heardAfterPauseMs, 50);
    row('audio heard after the pause, p95', (r) => r.heardAfterPauseMs, 95);
    row('first frame handed over → heard (the downlink), p50', (r) => r.firstAudioMs, 50);
    row(`reply lost on resume (${c.totalMs} ms pushed − heard), p50`, (r) => Math.max(0, c.totalMs - r.heardMs), 50);
    row(`reply lost on resume, p95`, (r) => Math.max(0, c.totalMs - r.heardMs), 95);
    row('reply heard twice (heard − pushed), p95', (r) => Math.max(0, r.heardMs - c.totalMs), 95);
  }
  lines.push(
    '',
    '  · audio heard after the pause: pause() → the last audible 10 ms frame at the listener before the resume; it includes the',
    "    downlink (WebRTC, the listener's jitter buffer), which no pause can take back",
    '  · reply lost on resume: audio the listener never heard; heard twice: audio played again after the resume (the',
    '    frame on its way into the source when the pause came, if part of it was already heard), in 10 ms frames',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
