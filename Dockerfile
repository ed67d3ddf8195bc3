# Berth in production: the standalone output of `next build` on a slim Node image.
# docker build -t berth . && docker run -p 3000:3000 -e AUTH_SECRET=... -v berth-data:/data berth

FROM node:22-bookworm-slim AS build
WORKDIR /app
# python3, make and g++ build better-sqlite3 from source when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npx next build

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0 BERTH_DATA_DIR=/data
# The server's Node flags, as scripts/server-flags.mjs gives them for Node 22 (it says why); `-e NODE_OPTIONS=...` replaces them.
ENV NODE_OPTIONS="--max-old-space-size=1024 --experimental-async-context-frame"
RUN useradd --system --uid 1001 berth && mkdir /data && chown berth /data
COPY --from=build --chown=berth /app/.next/standalone ./
COPY --from=build --chown=berth /app/.next/static ./.next/static
COPY --from=build --chown=berth /app/public ./public
# Gives the app each request's socket address, for the sign-in limits (lib/auth/client-address.ts).
COPY --from=build --chown=berth /app/scripts/peer-address.mjs ./peer-address.mjs
COPY --from=build --chown=berth /app/scripts/admission.mjs ./admission.mjs
COPY --from=build --chown=berth /app/scripts/closed-output.mjs ./closed-output.mjs
USER berth
VOLUME /data
EXPOSE 3000
CMD ["node", "--import", "./peer-address.mjs", "server.js"]
