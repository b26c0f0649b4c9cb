import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ManagedProcess, startProcess, waitForHttp } from './processes';

export type SipBridgeOptions = {
  bin: string;
  dir: string;
  livekit: { url: string; apiKey: string; apiSecret: string };
  /** host:port of the Redis livekit-server uses: the bridge and the server talk through it. */
  redisAddress: string;
  sipPort: number;
  /** First and last UDP port for call audio (RTP). */
  rtpPorts: [number, number];
  healthPort: number;
  logFile?: string;
  onLine?: (line: string) => void;
};

/** The bridge's YAML config (see github.com/livekit/sip, config.go). Keys come from the caller. */
export function writeSipConfig(opts: SipBridgeOptions): string {
  const yaml = [
    `api_key: ${opts.livekit.apiKey}`,
    `api_secret: ${opts.livekit.apiSecret}`,
    `ws_url: ${opts.livekit.url}`,
    'redis:',
    `  address: ${opts.redisAddress}`,
    `sip_port: ${opts.sipPort}`,
    `rtp_port: ${opts.rtpPorts[0]}-${opts.rtpPorts[1]}`,
    `health_port: ${opts.healthPort}`,
    // On one machine the bridge announces its local address; production sets its public one.
    'use_external_ip: false',
    'logging:',
    '  level: info',
    '',
  ].join('\n');
  const file = path.join(opts.dir, 'sip.yaml');
  writeFileSync(file, yaml, { mode: 0o600 });
  return file;
}

/** Starts livekit-sip and waits until its health endpoint answers. */
export async function startSipBridge(opts: SipBridgeOptions): Promise<ManagedProcess> {
  const configFile = writeSipConfig(opts);
  const proc = startProcess({
    name: 'livekit-sip',
    command: opts.bin,
    args: ['--config', configFile],
    logFile: opts.logFile,
    onLine: opts.onLine,
  });
  let alive = true;
  void proc.exited.then(() => (alive = false));
  try {
    await waitForHttp(`http://127.0.0.1:${opts.healthPort}/`, 20_000, () => alive);
  } catch (error) {
    await proc.stop();
    throw new Error(`${(error as Error).message}\n${proc.tail().slice(-15).join('\n')}`);
  }
  return proc;
}
