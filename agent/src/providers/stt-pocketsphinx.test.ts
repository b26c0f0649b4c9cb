import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type APIError, initializeLogger, isAPIError, stt } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  POCKETSPHINX_FIX,
  PocketsphinxModelError,
  PocketsphinxSTT,
  failureReason,
  findExecutable,
  missingModelFiles,
  parseHypothesis,
  pocketsphinxArgs,
  pocketsphinxFiles,
  probePocketsphinx,
  toRawPcm,
} from './stt-pocketsphinx';

/**
 * Stands in for pocketsphinx_continuous: reads the utterance to end-of-file, then answers with its
 * byte count — or crashes or hangs when a file of that name sits next to it.
 */
const FAKE_DECODER = `#!/bin/sh
dir=$(dirname "$0")
# Renamed into place: the next standby decoder starts while the test reads the last one's args.
echo "$@" > "$dir/args.$$" && mv "$dir/args.$$" "$dir/args"
echo "INFO: acmod.c(1): loading the model" >&2
bytes=$(wc -c)
if [ -f "$dir/crash" ]; then echo 'FATAL: "acmod.c", line 9: boom' >&2; exit 1; fi
if [ -f "$dir/hang" ]; then exec sleep 600; fi
echo "heard $bytes"
echo "bytes"
`;

/** 10 ms frames of a tone, interleaved over `channels`. */
function tone(sampleRate: number, seconds: number, channels = 1): AudioFrame[] {
  const perFrame = sampleRate / 100;
  return Array.from({ length: seconds * 100 }, (_, n) => {
    const data = new Int16Array(perFrame * channels);
    for (let i = 0; i < data.length; i++) data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 300 * (n * perFrame + i)) / sampleRate));
    return new AudioFrame(data, sampleRate, channels, perFrame);
  });
}

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as APIError);
const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};
const waitUntil = async (ok: () => boolean, ms = 500) => {
  for (const end = Date.now() + ms; !ok() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
};

let dir: string;
/** A complete fake install: the decoder script and empty model files where Debian puts them. */
function fakeInstall(): { binary: string; modelDir: string } {
  const binary = join(dir, 'pocketsphinx_continuous');
  writeFileSync(binary, FAKE_DECODER);
  chmodSync(binary, 0o755);
  const modelDir = join(dir, 'model');
  const files = pocketsphinxFiles(modelDir);
  mkdirSync(files.hmm, { recursive: true });
  for (const file of missingModelFiles(files)) writeFileSync(file, '');
  return { binary, modelDir };
}

beforeAll(() => initializeLogger({ pretty: false, level: 'fatal' }));
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pocketsphinx-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('pocketsphinx helpers', () => {
  it('decodes raw 16 kHz audio from stdin with the Debian model files, one search pass, no second VAD', () => {
    const files = pocketsphinxFiles('/usr/share/pocketsphinx/model/en-us');
    expect(files).toEqual({
      hmm: '/usr/share/pocketsphinx/model/en-us/en-us',
      dict: '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict',
      lm: '/usr/share/pocketsphinx/model/en-us/en-us.lm.bin',
    });
    const args = pocketsphinxArgs(files).join(' ');
    expect(args).toContain('-infile /dev/stdin -samprate 16000');
    expect(args).toContain(`-hmm ${files.hmm} -dict ${files.dict} -lm ${files.lm}`);
    expect(args).toContain('-fwdflat no');
    expect(args).toContain('-remove_silence no');
  });

  it('joins the lines of a transcript and ignores blank ones', () => {
    expect(parseHypothesis('can you explain\n\nthe warranty  \n')).toBe('can you explain the warranty');
    expect(parseHypothesis('')).toBe('');
  });

  it("picks the decoder's error lines out of its log", () => {
    const log = 'INFO: cmd_ln.c(1): parsing\nERROR: "dict.c", line 195: Failed to open x.dict\nINFO: done\n';
    expect(failureReason(log)).toBe('ERROR: "dict.c", line 195: Failed to open x.dict');
    expect(failureReason('INFO: a\nINFO: last\n')).toBe('INFO: last');
    expect(failureReason('')).toBe('no output');
  });

  it('writes little-endian 16-bit samples, also from a view into a larger buffer', () => {
    const pcm = new Int16Array([0, 1, -2, 0x1234]).subarray(1);
    expect([...toRawPcm(pcm)]).toEqual([1, 0, 0xfe, 0xff, 0x34, 0x12]);
  });

  it('finds executables on PATH or by path, and not plain files', () => {
    expect(findExecutable('sh')).toMatch(/\/sh$/);
    expect(findExecutable('no-such-binary-anywhere')).toBeUndefined();
    const plain = join(dir, 'plain');
    writeFileSync(plain, '');
    expect(findExecutable(plain)).toBeUndefined();
    expect(findExecutable('plain', dir)).toBeUndefined();
    const { binary } = fakeInstall();
    expect(findExecutable('pocketsphinx_continuous', `/nonexistent:${dir}`)).toBe(binary);
  });
});

describe('probePocketsphinx', () => {
  it('reports a missing binary with the apt-get fix', async () => {
    const probe = await probePocketsphinx({ binary: join(dir, 'pocketsphinx_continuous') });
    expect(probe).toEqual({ ok: false, reason: expect.stringMatching(/not installed/), fix: POCKETSPHINX_FIX });
  });

  it('reports the first missing model file', async () => {
    const { binary, modelDir } = fakeInstall();
    rmSync(join(modelDir, 'en-us.lm.bin'));
    const probe = await probePocketsphinx({ binary, modelDir });
    expect(probe).toEqual({ ok: false, reason: `pocketsphinx model file not found: ${join(modelDir, 'en-us.lm.bin')}`, fix: POCKETSPHINX_FIX });
  });

  it('is ok with the binary and every model file, without running anything', async () => {
    const { binary, modelDir } = fakeInstall();
    expect(await probePocketsphinx({ binary, modelDir })).toEqual({ ok: true, model: 'en-us' });
    expect(existsSync(join(dir, 'args'))).toBe(false);
  });
});

describe('PocketsphinxSTT.create', () => {
  it('names the missing binary and the apt-get fix', async () => {
    const creating = PocketsphinxSTT.create({ binary: 'no-such-pocketsphinx' });
    await expect(creating).rejects.toBeInstanceOf(PocketsphinxModelError);
    await expect(creating).rejects.toThrow(/no-such-pocketsphinx not found on PATH; fix: apt-get install pocketsphinx pocketsphinx-en-us/);
  });

  it('names the missing model file', async () => {
    const { binary } = fakeInstall();
    const creating = PocketsphinxSTT.create({ binary, modelDir: join(dir, 'elsewhere') });
    await expect(creating).rejects.toThrow(/model file not found: .*elsewhere\/en-us\/mdef; fix: apt-get install pocketsphinx/);
  });

  it('fails when the decoder cannot run its warm-up utterance', async () => {
    const { binary, modelDir } = fakeInstall();
    writeFileSync(join(dir, 'crash'), '');
    await expect(PocketsphinxSTT.create({ binary, modelDir })).rejects.toThrow(/does not start: .*boom.*; fix: apt-get/);
  });

  it("with verify: 'later' runs no decoder until verify(), which reports the same failure", async () => {
    const { binary, modelDir } = fakeInstall();
    writeFileSync(join(dir, 'crash'), '');
    const engine = await PocketsphinxSTT.create({ binary, modelDir, verify: 'later' });
    expect(existsSync(join(dir, 'args'))).toBe(false);
    await expect(engine.verify()).rejects.toThrow(/does not start: .*boom.*; fix: apt-get/);
    await engine.close();
  });

  it("with verify: 'later', verify() passes once for a decoder that runs", async () => {
    const { binary, modelDir } = fakeInstall();
    const engine = await PocketsphinxSTT.create({ binary, modelDir, verify: 'later' });
    expect(existsSync(join(dir, 'args'))).toBe(false);
    await expect(engine.verify()).resolves.toBeUndefined();
    expect(existsSync(join(dir, 'args'))).toBe(true);
    rmSync(join(dir, 'args'));
    await expect(engine.verify()).resolves.toBeUndefined();
    expect(existsSync(join(dir, 'args'))).toBe(false);
    await engine.close();
  });
});

describe('PocketsphinxSTT with a stand-in decoder', () => {
  let engine: PocketsphinxSTT;
  /** The first utterance starts the standby decoder (none waits while the engine is unused). */
  const primed = async (e: PocketsphinxSTT) => {
    await e.recognize(tone(16000, 0.5));
    return e;
  };
  beforeEach(async () => {
    engine = await PocketsphinxSTT.create({ ...fakeInstall(), requestTimeoutMs: 3000 });
  });
  afterEach(async () => {
    await engine.close();
  });
  afterAll(() => undefined);

  it('keeps no decoder waiting until its first utterance, then one ahead of each', async () => {
    expect(engine.standbyPid).toBeUndefined();
    const first = await engine.recognize(tone(16000, 0.5));
    expect(first.alternatives?.[0]?.text).toBe('heard 16000 bytes');
    expect(engine.standbyPid).toBeGreaterThan(0);
  });

  it('hands each utterance to a decoder started ahead of time, as 16 kHz mono, and returns one final', async () => {
    await primed(engine);
    const standby = engine.standbyPid;
    expect(standby).toBeGreaterThan(0);
    const ev = await engine.recognize(tone(48000, 1, 2));
    expect(ev.type).toBe(stt.SpeechEventType.FINAL_TRANSCRIPT);
    expect(ev.alternatives?.[0]).toMatchObject({ text: 'heard 32000 bytes', language: 'en', startTime: 0, endTime: 1 });
    expect(ev.recognitionUsage?.audioDuration).toBe(1);
    expect(readFileSync(join(dir, 'args'), 'utf8')).toContain('-infile /dev/stdin');
    // It ran its one utterance and exits: its output can arrive a moment before the exit does.
    await vi.waitFor(() => expect(groupAlive(standby as number)).toBe(false), { timeout: 2000, interval: 20 });
    expect(engine.standbyPid).not.toBe(standby); // and the next one is already loading
  });

  it('skips audio too short to hold a word', async () => {
    const ev = await engine.recognize(tone(16000, 0.05));
    expect(ev.alternatives?.[0]?.text).toBe('');
  });

  it('gives every concurrent utterance its own decoder', async () => {
    const [a, b] = await Promise.all([engine.recognize(tone(16000, 0.5)), engine.recognize(tone(16000, 1))]);
    expect([a.alternatives?.[0]?.text, b.alternatives?.[0]?.text]).toEqual(['heard 16000 bytes', 'heard 32000 bytes']);
  });

  it('fails a crashed decode with a retryable APIError naming the cause, then carries on', async () => {
    writeFileSync(join(dir, 'crash'), '');
    const error = await failure(engine.recognize(tone(16000, 1)));
    expect(isAPIError(error), String(error)).toBe(true);
    expect(error?.retryable).toBe(true);
    expect(error?.message).toMatch(/pocketsphinx exited \(code 1\): FATAL: "acmod.c", line 9: boom/);
    rmSync(join(dir, 'crash'));
    expect((await engine.recognize(tone(16000, 1))).alternatives?.[0]?.text).toBe('heard 32000 bytes');
  });

  it('kills a hung decoder and fails the utterance with a retryable APITimeoutError', async () => {
    const impatient = await primed(await PocketsphinxSTT.create({ binary: engine.binary, modelDir: join(dir, 'model'), requestTimeoutMs: 300 }));
    try {
      writeFileSync(join(dir, 'hang'), '');
      const pid = impatient.standbyPid as number;
      const started = Date.now();
      const error = await failure(impatient.recognize(tone(16000, 1)));
      expect(error?.name).toBe('APITimeoutError');
      expect(error?.retryable).toBe(true);
      expect(Date.now() - started).toBeLessThan(2000);
      await waitUntil(() => !groupAlive(pid));
      expect(groupAlive(pid)).toBe(false); // shell, cat, decoder and its sleep all gone
    } finally {
      await impatient.close();
    }
  });

  it('returns an empty final at once when aborted, and kills the decoder', async () => {
    await primed(engine);
    writeFileSync(join(dir, 'hang'), '');
    const pid = engine.standbyPid as number;
    const controller = new AbortController();
    const started = Date.now();
    const recognising = engine.recognize(tone(16000, 1), controller.signal);
    setTimeout(() => controller.abort(), 50);
    const ev = await recognising;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ev.alternatives?.[0]?.text).toBe('');
    await waitUntil(() => !groupAlive(pid));
    expect(groupAlive(pid)).toBe(false);
  });

  it('starts a fresh decoder when the waiting one has died', async () => {
    await primed(engine);
    process.kill(-(engine.standbyPid as number), 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    expect((await engine.recognize(tone(16000, 1))).alternatives?.[0]?.text).toBe('heard 32000 bytes');
  });

  it('is not a streaming recogniser, and refuses work once closed, leaving no decoder behind', async () => {
    expect(engine.capabilities.streaming).toBe(false);
    expect(() => engine.stream()).toThrow(/StreamAdapter/);
    await primed(engine);
    const pid = engine.standbyPid as number;
    await engine.close();
    await waitUntil(() => !groupAlive(pid), 3000);
    expect(groupAlive(pid)).toBe(false);
    const error = await failure(engine.recognize(tone(16000, 1)));
    expect(error?.retryable).toBe(false);
  });
});
