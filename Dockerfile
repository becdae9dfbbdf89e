# syntax=docker/dockerfile:1
# Hearback: one image for the API, the workers and migrations (see README, "Running it").

FROM node:24-bookworm-slim AS build
WORKDIR /app
# Install first (cached until the lockfile or schema changes); postinstall generates the Prisma client.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
COPY web ./web
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
# V8's heap, pinned. Left to itself Node sizes it from the memory it sees, a quarter of it up to
# 4 GB: the container's limit if it has one, else the host's. On a large host V8 then lets garbage
# reach up to 4x the live heap before a full collection and keeps a 2 x 64 MB young generation: a
# 50,000-application plan peaked at ~550 MB and its 50,000 renders at ~650 MB; under a 1 GB limit
# it would get 256 MB of old space and collect far more often. Pinned, they peak at
# ~370 and ~330 MB (bench: plan-50k, render-plan-50k, run with these options), with ~5x room over
# a reject-all's live data. Give containers 1.5 GB or more if you set memory limits; raise
# --max-old-space-size with a larger limit.
ENV NODE_OPTIONS="--max-semi-space-size=16 --max-old-space-size=1024"
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The recruiter web app, served at /app (WEB_APP_DIR).
COPY --from=build /app/web/dist ./web/dist
# schema.prisma and migrations/ are read by `node dist/src/db/migrate-cli.js deploy`.
COPY --from=build /app/prisma ./prisma
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Workers:    docker run ... node dist/workers/main.js
# Migrations: docker run ... node dist/src/db/migrate-cli.js deploy
CMD ["node", "dist/src/server.js"]
