import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * A real Chromium (the system one; playwright-core downloads no browser) with a fake microphone
 * that plays a WAV file and no permission prompts. `AVATAR_ADAM_TEST_CHROMIUM` overrides which binary.
 */
export async function launchChromium(opts: { fakeMicWav: string }): Promise<Browser> {
  const executablePath = process.env.AVATAR_ADAM_TEST_CHROMIUM || findChromium();
  return chromium.launch({
    executablePath,
    headless: true,
    timeout: 60_000,
    args: [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${opts.fakeMicWav}`,
      '--autoplay-policy=no-user-gesture-required',
      // Containers and CI runners often have a small /dev/shm.
      '--disable-dev-shm-usage',
    ],
  });
}

function findChromium(): string {
  const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new Error(`no Chromium found (looked at ${candidates.join(', ')}); apt-get install chromium, or set AVATAR_ADAM_TEST_CHROMIUM`);
  }
  return found;
}

/**
 * What the trainee "says" into the fake microphone: `text` spoken by flite, after `leadSilenceS`
 * seconds of silence so the agent's greeting is not interrupted by the trainee talking over it.
 * Chromium loops the file; `trailSilenceS` of silence after the sentence keeps it from being said
 * again within a session.
 */
export function writeSpeechWav(file: string, text: string, leadSilenceS: number, trailSilenceS = 0): string {
  const spoken = `${file}.flite.wav`;
  execFileSync('flite', ['-t', text, '-o', spoken]);
  const wav = readFileSync(spoken);
  const { fmt, data } = wavChunks(wav);
  const blockAlign = fmt.readUInt16LE(12);
  const sampleRate = fmt.readUInt32LE(4);
  const silence = (seconds: number) => Buffer.alloc(Math.round(seconds * sampleRate) * blockAlign);
  const pcm = Buffer.concat([silence(leadSilenceS), data, silence(trailSilenceS)]);
  const header = Buffer.alloc(12 + 8 + fmt.length + 8);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(header.length - 8 + pcm.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(fmt.length, 16);
  fmt.copy(header, 20);
  header.write('data', 20 + fmt.length, 'ascii');
  header.writeUInt32LE(pcm.length, 24 + fmt.length);
  writeFileSync(file, Buffer.concat([header, pcm]));
  return file;
}

function wavChunks(wav: Buffer): { fmt: Buffer; data: Buffer } {
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let fmt: Buffer | undefined;
  let data: Buffer | undefined;
  for (let at = 12; at + 8 <= wav.length; ) {
    const id = wav.toString('ascii', at, at + 4);
    // flite leaves the data size at 0 or 0xffffffff when it streams; the rest of the file is data.
    let size = wav.readUInt32LE(at + 4);
    if (id === 'data' && (size === 0 || at + 8 + size > wav.length)) size = wav.length - at - 8;
    const body = wav.subarray(at + 8, at + 8 + size);
    if (id === 'fmt ') fmt = body;
    if (id === 'data') data = body;
    at += 8 + size + (size % 2);
  }
  if (!fmt || !data) throw new Error('WAV file without fmt or data chunk');
  if (fmt.readUInt16LE(0) !== 1) throw new Error('WAV file is not PCM');
  return { fmt, data };
}

/** What {@link AUDIO_PROBE} has seen in the page so far (wall-clock ms, comparable with Date.now()). */
export type TAudioProbe = {
  /** The first click on a "Start practice" button. */
  clickAt: number | null;
  /** The first moment a playing <audio> element's stream carried sound above the threshold. */
  firstAudibleAt: number | null;
  /** For diagnosis: the first moment any signal at all (above digital silence) arrived in a remote
   * track, whether or not its element was playing yet. */
  firstSignalAt: number | null;
  /** 20 ms ticks with sound above the threshold, over all tracks. */
  audibleTicks: number;
  /** Loudest tick (RMS, 0…1). */
  maxRms: number;
  audioContextState: string | null;
  /** Each remote audio track an <audio> element plays, as last seen. */
  tracks: Array<{
    trackId: string;
    source: string | null;
    attachedAt: number;
    firstAudibleAt: number | null;
    /** The first tick its element was playing (not paused, not muted, volume above 0). */
    firstPlayingAt: number | null;
    paused: boolean;
    muted: boolean;
    volume: number;
    currentTime: number;
    readyState: number;
    trackState: string;
  }>;
  /** First time the agent panel showed each state (`data-state` of `[data-testid=agent-state]`). */
  agentStates: Record<string, number>;
  /** Every change of that state, in order: a turn shows as listening → thinking → speaking → listening. */
  agentStateLog: Array<{ state: string; at: number }>;
  errors: string[];
};

/** Above this RMS (about −40 dBFS) a 20 ms window holds speech rather than silence or comfort noise. */
export const AUDIBLE_RMS = 0.01;

/**
 * Runs in the page from its first script on (`page.addInitScript`). Every 20 ms it finds the
 * <audio> elements that play a MediaStream (LiveKit's RoomAudioRenderer makes one per remote
 * audio track), taps each track with a Web Audio AnalyserNode, and records when sound first comes
 * out of an element that is actually playing (not paused, not muted, volume above 0). It also
 * records the "Start practice" click and the agent panel's states on the same clock.
 *
 * A string rather than a function so that no transpiler helper sneaks into the page.
 */
export const AUDIO_PROBE = `(() => {
  const THRESHOLD = ${AUDIBLE_RMS};
  const probe = {
    clickAt: null, firstAudibleAt: null, firstSignalAt: null, audibleTicks: 0, maxRms: 0, audioContextState: null,
    tracks: [], agentStates: {}, agentStateLog: [], errors: [],
  };
  window.__audioProbe = probe;
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (probe.clickAt === null && button && button.textContent.trim() === 'Start practice') probe.clickAt = Date.now();
  }, true);
  let ctx = null;
  const taps = new Map();
  function tick() {
    try {
      const stateEl = document.querySelector('[data-testid="agent-state"]');
      const state = stateEl && stateEl.getAttribute('data-state');
      if (state && !(state in probe.agentStates)) probe.agentStates[state] = Date.now();
      const last = probe.agentStateLog[probe.agentStateLog.length - 1];
      if (state && (!last || last.state !== state)) probe.agentStateLog.push({ state, at: Date.now() });
      for (const el of document.querySelectorAll('audio')) {
        const stream = el.srcObject;
        if (!(stream instanceof MediaStream)) continue;
        for (const track of stream.getAudioTracks()) {
          if (taps.has(track.id)) continue;
          if (!ctx) { ctx = new AudioContext(); ctx.resume().catch(() => {}); }
          const analyser = ctx.createAnalyser();
          analyser.fftSize = 1024;
          ctx.createMediaStreamSource(new MediaStream([track])).connect(analyser);
          const info = { trackId: track.id, source: el.getAttribute('data-lk-source'), attachedAt: Date.now(),
            firstAudibleAt: null, firstPlayingAt: null, paused: el.paused, muted: el.muted, volume: el.volume, currentTime: 0,
            readyState: el.readyState, trackState: track.readyState };
          probe.tracks.push(info);
          taps.set(track.id, { el, track, analyser, buf: new Float32Array(analyser.fftSize), info });
        }
      }
      if (ctx) probe.audioContextState = ctx.state;
      for (const tap of taps.values()) {
        const { el, track, analyser, buf, info } = tap;
        info.paused = el.paused; info.muted = el.muted; info.volume = el.volume;
        info.currentTime = el.currentTime; info.readyState = el.readyState; info.trackState = track.readyState;
        analyser.getFloatTimeDomainData(buf);
        let sum = 0;
        for (let i = 0; i < buf.length; i++) sum += buf[i] * buf[i];
        const rms = Math.sqrt(sum / buf.length);
        const now = Date.now();
        if (rms > 0.0005 && probe.firstSignalAt === null) probe.firstSignalAt = now;
        const playing = el.isConnected && !el.paused && !el.muted && el.volume > 0 && track.readyState === 'live';
        if (!playing) continue;
        if (info.firstPlayingAt === null) info.firstPlayingAt = now;
        if (rms > probe.maxRms) probe.maxRms = rms;
        if (rms < THRESHOLD) continue;
        probe.audibleTicks++;
        if (info.firstAudibleAt === null) info.firstAudibleAt = now;
        if (probe.firstAudibleAt === null) probe.firstAudibleAt = now;
      }
    } catch (error) {
      if (probe.errors.length < 20) probe.errors.push(String(error));
    }
  }
  setInterval(tick, 20);
})();`;

export async function readAudioProbe(page: Page): Promise<TAudioProbe> {
  return (await page.evaluate('window.__audioProbe')) as TAudioProbe;
}

/** Polls the page's probe until `ok`, or fails with what the probe saw. */
export async function waitForProbe(page: Page, what: string, ok: (p: TAudioProbe) => boolean, timeoutMs: number): Promise<TAudioProbe> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = await readAudioProbe(page);
    if (ok(probe)) return probe;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; audio probe: ${JSON.stringify(probe)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
