import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SetupError, cachedBinaryPath, findInstalledBinary, goVersionForBuild } from './livekit-binary';

const run = promisify(execFile);

/**
 * The LiveKit SIP bridge release this project is built and tested against. v1.8.0 is the newest
 * release our build machines' Go module mirror serves; it speaks the same protocol as
 * livekit-server v1.13.5 (checked by the phone end-to-end test).
 */
export const LIVEKIT_SIP_VERSION = '1.8.0';
const MODULE = `github.com/livekit/sip@v${LIVEKIT_SIP_VERSION}`;
/** cgo libraries the bridge links (audio codecs and resampling). */
const PKG_CONFIG_LIBS = ['opus', 'opusfile', 'soxr'];
const APT_PACKAGES = 'libopus-dev libopusfile-dev libsoxr-dev pkg-config';

/**
 * Finds the livekit-sip binary, building it with Go when missing. Order: LIVEKIT_SIP_BIN, the
 * per-user cache, `livekit-sip` on PATH, then a build.
 *
 * The build downloads the module and runs `go build` inside it rather than `go install pkg@v`:
 * `go install` also asks the module proxy for the module's version list (to check deprecation),
 * which some mirrors refuse even though they serve the release itself.
 */
export async function ensureLivekitSip(log: (line: string) => void): Promise<string> {
  const cached = cachedBinaryPath(`livekit-sip-${LIVEKIT_SIP_VERSION}`);
  const installed = await findInstalledBinary({ envVar: 'LIVEKIT_SIP_BIN', cached, command: 'livekit-sip' });
  if (installed) return installed;

  const goVersion = await goVersionForBuild(`livekit-sip v${LIVEKIT_SIP_VERSION}`);
  if (!goVersion) {
    throw new SetupError(
      [
        'Phone practice needs the LiveKit SIP bridge (livekit-sip), and Go is not available to build it.',
        `  Install Go 1.26+ and ${APT_PACKAGES} (Debian/Ubuntu), then run "npm run sip:install",`,
        '  or set LIVEKIT_SIP_BIN=/path/to/livekit-sip.',
      ].join('\n'),
    );
  }
  const missing = [];
  for (const lib of PKG_CONFIG_LIBS) {
    const ok = await run('pkg-config', ['--exists', lib]).then(() => true, () => false);
    if (!ok) missing.push(lib);
  }
  if (missing.length) {
    throw new SetupError(
      `livekit-sip links ${missing.join(', ')} through cgo and pkg-config cannot find them: apt-get install ${APT_PACKAGES}`,
    );
  }
  log(`building livekit-sip v${LIVEKIT_SIP_VERSION} with ${goVersion} (first time only, about a minute)…`);
  const downloaded = await run('go', ['mod', 'download', '-json', MODULE], { maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout?: string; stderr?: string }) => {
      throw new SetupError(`go mod download ${MODULE} failed:\n${error.stdout ?? ''}${error.stderr ?? String(error)}`);
    },
  );
  const dir = (JSON.parse(downloaded.stdout) as { Dir?: string }).Dir;
  if (!dir) throw new SetupError(`go mod download ${MODULE} did not say where the module is`);
  mkdirSync(path.dirname(cached), { recursive: true });
  await run('go', ['build', '-o', cached, './cmd/livekit-sip'], {
    cwd: dir,
    env: { ...process.env, CGO_ENABLED: '1' },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stderr?: string }) => {
    throw new SetupError(`building livekit-sip failed:\n${error.stderr ?? String(error)}`);
  });
  log(`livekit-sip installed at ${cached}`);
  return cached;
}
