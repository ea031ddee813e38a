# Switchyard container: the same build as the README, then a slim runtime
# with only the shared libraries, a non-root user and the database on a volume.

FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake pkg-config \
      libcivetweb-dev libsqlite3-dev libjansson-dev libsodium-dev libarchive-dev libpq-dev libyaml-dev \
      libcurl4-openssl-dev libssl-dev nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN .ci/setup \
 && cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCHYARD_TESTS=OFF \
 && cmake --build build -j"$(nproc)"

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcivetweb1 libsqlite3-0 libjansson4 \
      libsodium23 libarchive13 libpq5 libcurl4 libssl3 libyaml-0-2 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin switchyard \
 && mkdir -p /data && chown switchyard:switchyard /data
COPY --from=build /src/build/switchyard /usr/local/bin/switchyard
USER switchyard
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["switchyard", "healthcheck", "--listen", "127.0.0.1:8080"]
ENTRYPOINT ["switchyard"]
CMD ["serve", "--db", "/data/switchyard.db", "--listen", "0.0.0.0:8080"]
