// `npm run build -w @avatar-adam/agent`: bundles the agent worker into agent/dist/main.mjs.
import { buildAgentBundle } from './lib/agent-bundle';

const { file, ms } = await buildAgentBundle();
process.stdout.write(`agent bundle: ${file} (${ms} ms)\n`);
