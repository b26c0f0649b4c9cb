# One image for the Node services; `web` adds the Next.js production build.
FROM node:20-bookworm-slim AS app
ENV ONNXRUNTIME_NODE_INSTALL=skip
# flite, pocketsphinx: last-resort local voice and recogniser; espeak-ng-data: phonemes for Piper voices; python3-venv:
# the local Whisper runtime, when local models are baked in (LOCAL_MODELS=1 below).
RUN apt-get update && apt-get install -y --no-install-recommends flite pocketsphinx pocketsphinx-en-us espeak-ng-data python3-venv python3-pip ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc turbo.json tsconfig.base.json livekit.yaml ./
COPY stubs stubs
# Fixes to dependencies, applied by the postinstall script (patch-package); see patches/README.md.
COPY patches patches
COPY db/package.json db/
COPY agent/package.json agent/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY db db
COPY agent agent
COPY web web
COPY scripts scripts
# The agent worker runs bundled (agent/dist/main.mjs): ~200 MB less per job process than under tsx.
RUN npm run build -w @avatar-adam/agent
# With cloud keys the agent needs no local weights; LOCAL_MODELS=1 bakes the offline set (~1.2 GB)
# into the image for on-prem deployments without keys. They are the failover engines otherwise.
ARG LOCAL_MODELS=0
RUN if [ "$LOCAL_MODELS" = "1" ]; then npx tsx scripts/models/cli.ts pull --all; fi
# Kept greetings (docker-compose's greeting-audio volume takes this folder's owner on first use).
RUN mkdir -p /var/lib/avatar-adam/greeting-audio && chown -R node:node /var/lib/avatar-adam
USER node

FROM app AS web
USER root
RUN npm run build -w @avatar-adam/web
USER node
CMD ["npm", "run", "start", "-w", "@avatar-adam/web"]
