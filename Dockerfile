# Build stage: compile TypeScript.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY server ./server
COPY tools* ./tools/
COPY scripts ./scripts
COPY console ./console
RUN npm run build && npm prune --omit=dev

# Runtime stage: only what the service needs, as an unprivileged user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=8080 RWS_DATA_DIR=/var/lib/rws
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The node image's unprivileged `node` user, by number (a name may not resolve on the host side of a volume).
RUN mkdir -p /var/lib/rws && chown 1000:1000 /var/lib/rws
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health/live').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
CMD ["node", "dist/server/main.js"]
