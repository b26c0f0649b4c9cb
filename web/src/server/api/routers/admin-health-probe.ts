import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { RoomServiceClient } from 'livekit-server-sdk';

/** How the platform's moving parts are found; the request context builds it from the env. */
export type TPlatformProbeConfig = {
  livekit: { url: string; apiKey: string; apiSecret: string };
  /** Base URLs of agent workers' health servers (agents-js serves `/` and `/worker` there). */
  agentHealthUrls: string[];
  /** The name rooms dispatch; a worker registered under another name never gets a session. */
  agentName: string;
  /** AGENT_STT/LLM/TTS/EMBEDDINGS as this server's environment has them, and which keys are set. */
  providerSettings: { stt: string; llm: string; tts: string; embeddings: string; openaiKey: boolean; openaiBaseUrl: string | null; elevenlabsKey: boolean };
  /** Where local model weights are installed (each model folder has an installed.json). */
  modelsDir: string;
  timeoutMs?: number;
};

export type TLiveKitHealth = { ok: true; latencyMs: number; rooms: number } | { ok: false; latencyMs: number; error: string };

export type TAgentWorkerHealth = {
  url: string;
  /** The health server answered at all. */
  reachable: boolean;
  /** agents-js says healthy only while its WebSocket to livekit-server is open, i.e. registered. */
  registered: boolean;
  message: string;
  agentName: string | null;
  /** False when the worker registered under a name rooms do not dispatch. */
  nameMatches: boolean;
  activeJobs: number | null;
  sdkVersion: string | null;
  latencyMs: number;
};

export type TInstalledModel = { id: string; installedAt: string | null; damagedFiles: number };

/** The outside world the health page looks at; `createPlatformProbe` is the real one. */
export type TPlatformProbe = {
  checkLiveKit(): Promise<TLiveKitHealth>;
  checkAgentWorkers(): Promise<TAgentWorkerHealth[]>;
  providerSettings: TPlatformProbeConfig['providerSettings'];
  listInstalledModels(): Promise<TInstalledModel[]>;
};

const DEFAULT_TIMEOUT_MS = 3000;
const since = (started: number) => Math.round(performance.now() - started);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createPlatformProbe(config: TPlatformProbeConfig): TPlatformProbe {
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const rooms = new RoomServiceClient(config.livekit.url, config.livekit.apiKey, config.livekit.apiSecret, {
    requestTimeout: Math.ceil(timeoutMs / 1000),
  });

  async function checkWorker(url: string): Promise<TAgentWorkerHealth> {
    const started = performance.now();
    const base = url.replace(/\/+$/, '');
    const unreachable = (message: string): TAgentWorkerHealth => ({
      url, reachable: false, registered: false, message, agentName: null, nameMatches: false, activeJobs: null, sdkVersion: null, latencyMs: since(started),
    });
    try {
      const [health, info] = await Promise.all([
        fetch(`${base}/`, { signal: AbortSignal.timeout(timeoutMs) }),
        fetch(`${base}/worker`, { signal: AbortSignal.timeout(timeoutMs) }),
      ]);
      const message = (await health.text()).trim().slice(0, 200);
      const worker = info.ok ? ((await info.json()) as { agent_name?: string; active_jobs?: number; sdk_version?: string }) : {};
      const agentName = typeof worker.agent_name === 'string' ? worker.agent_name : null;
      return {
        url,
        reachable: true,
        registered: health.status === 200,
        message: message || `HTTP ${health.status}`,
        agentName,
        nameMatches: agentName === config.agentName,
        activeJobs: typeof worker.active_jobs === 'number' ? worker.active_jobs : null,
        sdkVersion: typeof worker.sdk_version === 'string' ? worker.sdk_version : null,
        latencyMs: since(started),
      };
    } catch (error) {
      return unreachable(messageOf(error));
    }
  }

  return {
    async checkLiveKit() {
      const started = performance.now();
      try {
        // An authenticated API call: proves the server is up and that our keys are accepted.
        const list = await rooms.listRooms();
        return { ok: true, latencyMs: since(started), rooms: list.length };
      } catch (error) {
        return { ok: false, latencyMs: since(started), error: messageOf(error) };
      }
    },
    checkAgentWorkers: () => Promise.all(config.agentHealthUrls.map(checkWorker)),
    providerSettings: config.providerSettings,
    async listInstalledModels() {
      let entries: string[];
      try {
        entries = await readdir(config.modelsDir);
      } catch {
        return [];
      }
      const models = await Promise.all(entries.filter((e) => !e.startsWith('.')).map((id) => readInstalled(config.modelsDir, id)));
      return models.filter((m): m is TInstalledModel => m !== null);
    },
  };
}

/** A model folder's install record, read as data (importing the agent's model code would load more). */
async function readInstalled(dir: string, id: string): Promise<TInstalledModel | null> {
  try {
    const record = JSON.parse(await readFile(path.join(dir, id, 'installed.json'), 'utf8')) as { installedAt?: unknown; corrupt?: unknown };
    return {
      id,
      installedAt: typeof record.installedAt === 'string' ? record.installedAt : null,
      damagedFiles: Array.isArray(record.corrupt) ? record.corrupt.length : 0,
    };
  } catch {
    return null;
  }
}
