# mock-mimecast: the mock Mimecast SP (port 3000) and the mock Entra IdP (port 3001) in one container.
# Build: docker build -t mock-mimecast .   Run: see docker-compose.yml, or
#   docker run -p 3000:3000 -p 3001:3001 -e MOCK_MIMECAST_ADMIN_TOKEN=<token> mock-mimecast
ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: compile better-sqlite3's native module ------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary fits, which needs a C++ toolchain and python.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
# npm ci runs `prepare`, which compiles src/ to dist/ (half the start-up time of running the sources).
RUN npm ci --no-audit --no-fund
# The image runs the compiled dist/ only, so the dev dependencies (typescript, tsx, biome, supertest)
# can go.
RUN npm prune --omit=dev --no-audit --no-fund

# --- runtime ----------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    MOCK_MIMECAST_SP_HOST=0.0.0.0 \
    MOCK_MIMECAST_IDP_HOST=0.0.0.0 \
    MOCK_MIMECAST_DB=/app/data/mock-mimecast.sqlite
WORKDIR /app
# Code stays owned by root so the service user cannot change it; only data/ is writable.
COPY --from=build /app/node_modules ./node_modules
# No src/ and no tsconfig.json: bin/mock-mimecast.js then always runs dist/, as in the published package.
COPY package.json ./
COPY bin ./bin
COPY --from=build /app/dist ./dist
COPY certs ./certs
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000 3001
VOLUME /app/data
# Listening on 0.0.0.0 makes the admin token mandatory (set MOCK_MIMECAST_ADMIN_TOKEN);
# /api/health answers without it so that this check works.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/mock-mimecast.js", "start"]
