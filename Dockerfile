# syntax=docker/dockerfile:1
# The DataTrust exporter: the `datatrust` CLI, whose `serve` runs scheduled checks, circuit
# breakers, the gate API and /metrics. Build from the repository root:
#   docker build -t datatrust-exporter .
#   docker run -v datatrust-data:/var/lib/datatrust -p 8470:8470 datatrust-exporter
# The image carries deploy/datatrust.yml and checks/ as its default configuration; mount your
# own over /etc/datatrust to check other data.

# ---------------------------------------------------------------- build: compile TypeScript
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Manifests first: the dependency layer is rebuilt only when they change. plugin/package.json
# is needed too, because the lockfile covers both workspaces and `npm ci` refuses a mismatch;
# only the exporter's dependencies are installed (the Grafana panel builds elsewhere).
COPY package.json package-lock.json tsconfig.base.json ./
COPY exporter/package.json exporter/
COPY plugin/package.json plugin/
# --ignore-scripts: the root `prepare` script builds the exporter, whose sources are not copied
# yet; the build runs below. (No exporter dependency needs an install script.)
RUN npm ci --workspace exporter --include-workspace-root --ignore-scripts --no-audit --no-fund
COPY exporter/ exporter/
RUN npm run build -w exporter

# ---------------------------------------------------------------- deps: runtime dependencies only
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY exporter/package.json exporter/
COPY plugin/package.json plugin/
RUN npm ci --workspace exporter --omit=dev --ignore-scripts --no-audit --no-fund

# ---------------------------------------------------------------- runtime
FROM node:20-bookworm-slim
ENV NODE_ENV=production
# A fixed uid, so a volume's ownership means the same thing on every host.
RUN groupadd --system --gid 10001 datatrust \
 && useradd --system --uid 10001 --gid datatrust --home-dir /var/lib/datatrust --no-create-home --shell /usr/sbin/nologin datatrust \
 && mkdir -p /var/lib/datatrust /etc/datatrust \
 && chown datatrust:datatrust /var/lib/datatrust
# DuckDB keeps its extensions under $HOME: inside the data volume, writable by the service.
ENV HOME=/var/lib/datatrust
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/package.json package.json
COPY --from=build /app/exporter/package.json exporter/package.json
COPY --from=build /app/exporter/dist exporter/dist
COPY --from=build /app/exporter/bin exporter/bin
# The OpenLineage schemas every received event is validated against.
COPY --from=build /app/exporter/spec exporter/spec
COPY deploy/datatrust.yml /etc/datatrust/datatrust.yml
COPY checks/ /etc/datatrust/checks/
USER datatrust
# State, history and the demo warehouse live here; mount a volume to keep them.
VOLUME ["/var/lib/datatrust"]
EXPOSE 8470
# /healthz answers as soon as the HTTP server runs; node's fetch, because the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8470/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/exporter/bin/datatrust.js"]
CMD ["serve", "-c", "/etc/datatrust/datatrust.yml", "--host", "0.0.0.0"]
