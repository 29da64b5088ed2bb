# Clearhouse in a container: the server, its job worker and (without DATABASE_URL) the embedded PostgreSQL,
# with its data in the volume /var/lib/clearhouse. See docs/operations.md.
#   docker build -t clearhouse .
#   docker run -d --name clearhouse -p 3000:3000 -v clearhouse-data:/var/lib/clearhouse clearhouse
#   docker logs clearhouse      # the first administrator's password, printed once
FROM node:24-bookworm-slim

WORKDIR /opt/clearhouse
ENV CLEARHOUSE_HOME=/var/lib/clearhouse \
    PORT=3000 \
    HOST=0.0.0.0

# Dependencies first (cached while only the sources change). The web app is built with the dev dependencies.
COPY package.json package-lock.json ./
RUN npm ci --include=dev && npm cache clean --force

COPY . .
RUN node scripts/build-web.ts \
    && mkdir -p /var/lib/clearhouse \
    && chown node:node /var/lib/clearhouse

# Not root: the embedded PostgreSQL runs as the same user as the server.
USER node
ENV NODE_ENV=production
VOLUME /var/lib/clearhouse
EXPOSE 3000

# docker stop sends SIGTERM to node (PID 1): requests and jobs finish, the embedded PostgreSQL stops.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "scripts/start.ts"]
