import { existsSync } from 'node:fs';
import { pullCommand, resolveModel } from '../models';
import type { TLocalProbe } from './config';
import { listFliteVoices } from './flite-process';
import { probePocketsphinx } from './stt-pocketsphinx';
import {
  DEBIAN_ESPEAK_DATA_DIR,
  MINILM_MODEL_ID,
  PIPER_MODEL_ID,
  SMOLLM2_MODEL_ID,
  WHISPER_MODEL_ID,
  WHISPER_RUNTIME_ID,
} from './model-ids';

/** Files of each installed local engine, as the engine constructors take them. */
export type TLocalFiles = {
  whisper?: { modelDir: string; python: string };
  llama?: { modelPath: string };
  piper?: { model: string; tokens: string; espeakDataDir: string };
  minilm?: { modelDir: string };
};

type TProbeResult = { probe: TLocalProbe; files: TLocalFiles };

/**
 * Looks at what is installed — cheaply: sizes and the install record, no model is loaded. Damaged
 * or partial installs count as missing, with the command that repairs them.
 */
export async function probeLocalEngines(): Promise<TProbeResult> {
  const files: TLocalFiles = {};
  const [whisper, runtime, llama, piper, minilm, fliteVoices, pocketsphinx] = await Promise.all([
    resolveModel(WHISPER_MODEL_ID),
    resolveModel(WHISPER_RUNTIME_ID),
    resolveModel(SMOLLM2_MODEL_ID),
    resolveModel(PIPER_MODEL_ID),
    resolveModel(MINILM_MODEL_ID),
    listFliteVoices().catch(() => null),
    probePocketsphinx(),
  ]);
  const probe = {} as TLocalProbe;

  if (whisper.status !== 'installed') probe.whisper = notInstalled(whisper);
  else if (runtime.status !== 'installed') probe.whisper = notInstalled(runtime);
  else {
    files.whisper = { modelDir: whisper.dir, python: runtime.files.python! };
    probe.whisper = { ok: true, model: 'tiny.en' };
  }

  const gguf = llama.status === 'installed' ? Object.values(llama.files).find((f) => f.endsWith('.gguf')) : undefined;
  if (gguf) {
    files.llama = { modelPath: gguf };
    probe.llama = { ok: true, model: 'SmolLM2-135M-Instruct Q4_1' };
  } else probe.llama = llama.status === 'installed' ? { ok: false, reason: 'no .gguf recorded', fix: pullCommand(SMOLLM2_MODEL_ID) } : notInstalled(llama);

  if (piper.status !== 'installed') probe.piper = notInstalled(piper);
  else if (!existsSync(`${DEBIAN_ESPEAK_DATA_DIR}/phontab`)) {
    probe.piper = { ok: false, reason: `espeak-ng data not found in ${DEBIAN_ESPEAK_DATA_DIR}`, fix: 'apt-get install espeak-ng-data' };
  } else {
    files.piper = {
      model: piper.files['en_US-joe-medium.sherpa.onnx']!,
      tokens: piper.files['tokens.txt']!,
      espeakDataDir: DEBIAN_ESPEAK_DATA_DIR,
    };
    probe.piper = { ok: true, model: 'en_US-joe-medium' };
  }

  if (minilm.status !== 'installed') probe.minilm = notInstalled(minilm);
  else {
    files.minilm = { modelDir: minilm.dir };
    probe.minilm = { ok: true, model: 'all-MiniLM-L6-v2' };
  }

  probe.flite =
    fliteVoices && fliteVoices.length > 0
      ? { ok: true, model: 'slt' }
      : { ok: false, reason: 'flite is not installed', fix: 'apt-get install flite' };
  probe.pocketsphinx = pocketsphinx;
  return { probe, files };
}

function notInstalled(resolved: { id: string; status: string; reason?: string; fix?: string }) {
  return {
    ok: false as const,
    reason: `${resolved.id} ${resolved.status === 'corrupt' ? `is damaged (${resolved.reason})` : 'is not installed'}`,
    fix: resolved.fix,
  };
}
