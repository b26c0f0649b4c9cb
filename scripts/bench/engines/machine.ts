import os from 'node:os';

export type TMachine = {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  memoryGb: number;
  loadAvg: number[];
};

export function machineInfo(): TMachine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() || 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAvg: loadAverage(),
  };
}

export const loadAverage = () => os.loadavg().map((l) => Number(l.toFixed(2)));

/**
 * A fixed single-thread workload (xorshift over 20 M steps), best of three, in ms. Run at the start
 * and the end of the bench it is the same-run baseline for how busy the machine was: when it
 * slows down, every engine figure in between was measured on a shared CPU.
 */
export function cpuCalibrationMs(): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    let x = 2463534242;
    for (let i = 0; i < 20_000_000; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
    }
    best = Math.min(best, performance.now() - started);
    // Keeps the loop from being optimised away.
    if (x === 0) best += 0;
  }
  return best;
}
