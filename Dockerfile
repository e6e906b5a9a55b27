# Restock notifier: build the fat jar with Maven, run it on a JRE-only image.
#
#   docker build -t restock-notifier .
#   docker run -p 8080:8080 -e DB_URL=... -e REDIS_URL=... \
#     -e SHOP_TOKEN=... -e ADMIN_TOKEN=... restock-notifier
# Without a token the app listens on the container's own loopback only, out of
# reach of -p (see README, Access).
#
# Runtime base: eclipse-temurin:17-jre-alpine by default. It is the smallest
# Temurin 17 JRE (about 60 MB compressed / 190 MB on disk, against about
# 90 MB / 270 MB for the Ubuntu-based eclipse-temurin:17-jre), and its busybox
# provides `wget` for the HEALTHCHECK, so nothing has to be installed.
# All the service's dependencies are pure Java, so musl is no concern.
# Temurin publishes the 17 Alpine JRE for x86_64 only: on an arm64 host
# (e.g. Apple silicon) build with the multi-arch Ubuntu image instead, which
# also ships wget:
#   docker build --build-arg RUNTIME_IMAGE=eclipse-temurin:17-jre .
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre-alpine

# ---- build stage -------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build

# Wrapper and POM first: the dependency layer below is rebuilt only when they
# change, not on every source edit. The dependency plugin is pinned: the
# default one (3.7.0) also fetches the optional dependencies of dependencies,
# which this build never uses, and failed on mysql-connector-j's optional OCI
# SDK. With 3.9.0 this layer holds everything `package` needs (an offline
# `package -o` after it succeeds).
COPY pom.xml mvnw ./
COPY .mvn .mvn
RUN ./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.9.0:go-offline

COPY src src
COPY db db
RUN ./mvnw -B -q package -DskipTests

# ---- runtime stage -----------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime

# Unprivileged user with a fixed uid/gid (10001), created with whichever tool
# the base has: shadow's useradd (Ubuntu) or busybox adduser (Alpine).
RUN set -eu; \
    if command -v useradd >/dev/null 2>&1; then \
      groupadd --system --gid 10001 app; \
      useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app; \
    else \
      addgroup -S -g 10001 app; \
      adduser -S -D -H -u 10001 -G app -h /app -s /sbin/nologin app; \
    fi

WORKDIR /app
# Owned by root: the app user can read the jar but not rewrite it.
COPY --from=build /build/target/restock-notifier.jar /app/restock-notifier.jar
COPY src/main/jvm/restock.jvmopts /app/restock.jvmopts

USER 10001:10001
ENV PORT=8080
EXPOSE 8080

# GET /health is 200 only when MySQL and Redis both answer; wget exits non-zero
# on a 503 or no answer. Only flags that busybox wget (Alpine) and GNU wget
# (Ubuntu) both have: no -T, as some busybox builds lack it; --timeout below
# ends a check that hangs.
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${PORT:-8080}/health" || exit 1

# The JVM sizes its heap from the container's memory limit; the service's own
# options (C1 only, thread priorities, exit on OOM so the orchestrator restarts
# it) are in restock.jvmopts, as for `java @src/main/jvm/restock.jvmopts -jar`.
# Extra JVM flags can be given at run time through JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "@/app/restock.jvmopts", "-jar", "/app/restock-notifier.jar"]
