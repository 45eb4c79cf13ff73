# Candlekeep headless: `serve` (engine, dashboard, API) by default; `daemon` with another command.
# Build: docker build -t candlekeep .   Compose: deploy/compose.yaml.

# ---- build: dependencies, the native SQLite module, the dashboard and the CLI --------------------
FROM node:20-bookworm-slim AS build
# better-sqlite3 is compiled here against this image's Node, not downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The desktop app's Electron binary is never needed in a container.
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY . .
# npm ci runs `prepare`: the dashboard (out/renderer) and the CLI (out/cli).
RUN npm ci --no-audit --no-fund \
 && npm rebuild better-sqlite3 --build-from-source \
 && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()" \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: what the built CLI needs, run as the unprivileged `node` user ----------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    CANDLEKEEP_HOME=/data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/out/cli ./out/cli
COPY --from=build /app/out/renderer ./out/renderer
COPY --from=build /app/electron/cli/bin.js ./electron/cli/bin.js
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8137
# /healthz is always open (no token): the process is up and answering.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8137/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "electron/cli/bin.js"]
# Reachable from outside the container, so serve requires a token: create one in the volume first
# (`docker compose run --rm serve tokens add admin --role admin`) or set CANDLEKEEP_TOKEN.
CMD ["serve", "--host", "0.0.0.0", "--port", "8137"]
