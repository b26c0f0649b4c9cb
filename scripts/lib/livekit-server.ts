import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ManagedProcess, startProcess, waitForHttp } from './processes';

export type LivekitPorts = { http: number; rtcTcp: number; rtcUdp: number };

/**
 * Writes a config derived from the repo's livekit.yaml with other ports (tests run their own
 * server next to a developer's `npm run dev`).
 */
export function writeLivekitConfig(
  repoRoot: string,
  dir: string,
  ports: LivekitPorts,
  opts: { redisAddress?: string } = {},
): string {
  let yaml = readFileSync(path.join(repoRoot, 'livekit.yaml'), 'utf8')
    .replace(/^port: \d+$/m, `port: ${ports.http}`)
    .replace(/^ {2}tcp_port: \d+$/m, `  tcp_port: ${ports.rtcTcp}`)
    .replace(/^ {2}udp_port: \d+$/m, `  udp_port: ${ports.rtcUdp}`);
  // Redis turns on what needs it (the SIP bridge talks to the server through Redis).
  if (opts.redisAddress) {
    yaml = yaml.replace(/^# redis:\n# {3}address: .*$/m, `redis:\n  address: ${opts.redisAddress}`);
    if (!yaml.includes(`address: ${opts.redisAddress}`)) throw new Error('livekit.yaml has no "# redis:" block to enable');
  }
  const file = path.join(dir, 'livekit.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** The API key pair in livekit.yaml (the development keys). */
export function readLivekitKeys(configFile: string): { apiKey: string; apiSecret: string } {
  const match = /^keys:\s*\n\s+([^:\s]+):\s*(\S+)/m.exec(readFileSync(configFile, 'utf8'));
  if (!match?.[1] || !match[2]) throw new Error(`no keys block in ${configFile}`);
  return { apiKey: match[1], apiSecret: match[2] };
}

export async function startLivekitServer(opts: {
  bin: string;
  configFile: string;
  httpPort: number;
  logFile?: string;
  onLine?: (line: string) => void;
}): Promise<ManagedProcess> {
  const proc = startProcess({
    name: 'livekit-server',
    command: opts.bin,
    args: ['--config', opts.configFile],
    logFile: opts.logFile,
    onLine: opts.onLine,
  });
  let alive = true;
  void proc.exited.then(() => (alive = false));
  try {
    await waitForHttp(`http://127.0.0.1:${opts.httpPort}/`, 20_000, () => alive);
  } catch (error) {
    await proc.stop();
    throw new Error(`${(error as Error).message}\n${proc.tail().slice(-15).join('\n')}`);
  }
  return proc;
}
