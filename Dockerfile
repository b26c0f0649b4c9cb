# One image for the Node services; `web` adds the Next.js production build.
FROM node:20-bookworm-slim AS app
ENV ONNXRUNTIME_NODE_INSTALL=skip
# flite: the local TTS fallback when no cloud voice is configured.
RUN apt-get update && apt-get install -y --no-install-recommends flite ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc turbo.json tsconfig.base.json livekit.yaml ./
COPY db/package.json db/
COPY agent/package.json agent/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY db db
COPY agent agent
COPY web web
USER node

FROM app AS web
USER root
RUN npm run build -w @avatar-adam/web
USER node
CMD ["npm", "run", "start", "-w", "@avatar-adam/web"]
