// Makes sure the livekit-server binary exists (building it with Go when needed) and prints its path.
import { ensureLivekitServer, SetupError } from './lib/livekit-binary';

try {
  const bin = await ensureLivekitServer((line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`livekit-server: ${bin}\n`);
} catch (error) {
  process.stderr.write(`error: ${error instanceof SetupError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
