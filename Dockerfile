# password-email-worker image (also runs the XC simulator for local stacks).
#
#   docker build -t password-email-worker .
#   docker run --rm -e KAFKA_BOOTSTRAP_SERVERS=broker:9092 \
#       -e XC_ENDPOINT_URL=https://<tenant>.console.ves.volterra.io/api/v1/api/production/us-east-1/namespaces/default/no_auth/send_password_email \
#       -e XC_API_TOKEN_FILE=/run/secrets/xc-api-token password-email-worker
#
# Configuration: environment variables of the contract (/app/conf/config.json is read first and holds
# the defaults; mount your own file over it or pass --conf FILE after the image name). The operator
# logging file: -e JAVA_TOOL_OPTIONS=-Dlogback.configurationFile=/app/conf/logback.xml
# Simulator: --entrypoint java ... -cp /app/password-email-worker.jar dev.pew.sim.SimulatorMain --host 0.0.0.0

# ---- build: compiles from source, so the image never depends on a jar built elsewhere ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# The pom alone first: this dependency layer is rebuilt only when pom.xml changes, not on every
# source edit. go-offline misses a few plugin-internal artifacts; package fetches those.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests package

# ---- runtime: JRE only, no build tools, no source ----
FROM eclipse-temurin:17-jre
# A fixed numeric uid (not a name) so Kubernetes' runAsNonRoot can verify it and mounted secrets can
# be made readable to exactly this uid.
RUN groupadd --gid 10001 pew \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin pew
WORKDIR /app
# Owned by root and not writable by the worker: it needs to write nothing here (Vert.x caches in /tmp).
COPY --from=build /build/target/password-email-worker.jar /app/password-email-worker.jar
COPY conf/ /app/conf/
# Class-data sharing (AppCDS): a training run at build time archives the classes the worker loads
# while it starts (Vert.x, Netty, the Kafka clients, Jackson, logback, its own), and every start maps
# them instead of loading and verifying them again. Measured beside Parallel Consumer on a cold
# backlog (docs/benchmarks.md, "Start-up: class-data sharing"): first result 4.3-4.6 s -> 2.4 s, CPU per
# event 1.2-1.4 -> 0.95 ms. It needs no broker: the run starts against closed ports, is stopped
# with SIGTERM after 15 s and the JVM writes the archive as it exits. A JVM that cannot use the
# archive (another jar, another JDK) says so in one warning line and starts without it.
RUN KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1 HTTP_PORT=0 \
        XC_ENDPOINT_URL=http://127.0.0.1:2/api/v1/api/production/us-east-1/namespaces/default/no_auth/send_password_email \
        timeout -s TERM 15 java -XX:ArchiveClassesAtExit=/app/password-email-worker.jsa -Xlog:cds=off \
            -jar /app/password-email-worker.jar > /dev/null 2>&1; \
    test -s /app/password-email-worker.jsa
USER 10001:10001
EXPOSE 8080
# Why bash and /dev/tcp rather than curl, wget or java: the JRE cannot run a java source one-liner
# (no compiler in a JRE), and the Ubuntu base ships curl and wget only "for historical reasons"
# (adoptium/containers#255), which may change. bash is an essential package of Ubuntu and its
# /dev/tcp redirection needs nothing else. The port follows HTTP_PORT; the check passes only on a
# 200 status line (/health/ready answers 503 while not ready or holding).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${HTTP_PORT:-8080} && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# The JVM turns SIGTERM into the graceful stop (finish calls in flight, publish, commit, exit 0).
# Give the container longer than SHUTDOWN_GRACE_MS to stop (docker stop -t, stop_grace_period,
# terminationGracePeriodSeconds).
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:SharedArchiveFile=/app/password-email-worker.jsa", "-jar", "/app/password-email-worker.jar"]
