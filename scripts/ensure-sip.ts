// Makes sure the livekit-sip binary (phone practice) exists, building it with Go when needed.
import { SetupError } from './lib/livekit-binary';
import { ensureLivekitSip } from './lib/sip-binary';

try {
  const bin = await ensureLivekitSip((line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`livekit-sip: ${bin}\n`);
} catch (error) {
  process.stderr.write(`error: ${error instanceof SetupError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
