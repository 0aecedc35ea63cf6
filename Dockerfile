# syntax=docker/dockerfile:1
#
# One image recipe for every Homecoming service, chosen with build arguments:
#
#   docker build --build-arg SERVICE=producer --build-arg PORT=8080 -t homecoming/producer .
#   docker build --build-arg SERVICE=streams  --build-arg PORT=8082 -t homecoming/streams .
#   docker build --build-arg SERVICE=sink     --build-arg PORT=8083 -t homecoming/sink .
#   docker build --build-arg SERVICE=registry --build-arg PORT=8081 -t homecoming/registry .
#   docker build --target init -t homecoming/init .    # topics + schemas, one shot (docker-compose.yml)
#
# PORT is the service's server.port default in <module>/src/main/resources/org/homecoming/<service>/application.yml;
# it only sets EXPOSE and the health check (the service itself reads its *_PORT variable).
# docker-compose.yml passes these arguments; ComposeFileTest keeps them in step with the code.

# ---- build: the whole reactor once, with the Maven wrapper. The stage does not depend on SERVICE, so
# BuildKit builds it once for all images; the cache mount keeps ~/.m2 (and the wrapper's Maven) between builds.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    ./mvnw -B -ntp -DskipTests -Dcheckstyle.skip package \
    && mkdir -p /out \
    && for module in producer streams sink registry local; do \
         cp "$module"/target/homecoming-"$module"-*-exec.jar /out/"$module".jar; \
       done

# ---- init: kafka-topics.sh from the Kafka distribution, and the homecoming command line for register-schemas.
FROM apache/kafka:4.1.2 AS kafka-dist

FROM eclipse-temurin:17-jre AS init
RUN useradd --system --uid 10001 --user-group --home-dir /opt/homecoming --create-home homecoming
COPY --from=kafka-dist /opt/kafka /opt/kafka
COPY --from=build /out/local.jar /opt/homecoming/homecoming.jar
# kafka-run-class.sh writes its logs under LOG_DIR (default /opt/kafka/logs, not ours to write); the command
# line logs to .homecoming/ under the working directory.
ENV PATH="/opt/kafka/bin:${PATH}" \
    LOG_DIR=/tmp/kafka-logs
USER homecoming:homecoming
WORKDIR /opt/homecoming
ENTRYPOINT ["/bin/bash", "-euo", "pipefail", "-c"]
CMD ["java -jar /opt/homecoming/homecoming.jar --help"]

# ---- service: one Spring Boot service on a JRE, as a non-root user. Last stage, so the default target.
FROM eclipse-temurin:17-jre AS service
ARG SERVICE
ARG PORT
RUN test -n "${SERVICE}" && test -n "${PORT}" \
    && useradd --system --uid 10001 --user-group --home-dir /opt/homecoming --no-create-home homecoming
COPY --from=build /out/${SERVICE}.jar /opt/homecoming/app.jar
ENV HOMECOMING_SERVICE=${SERVICE} \
    HOMECOMING_HEALTH_PORT=${PORT}
USER homecoming:homecoming
WORKDIR /opt/homecoming
EXPOSE ${PORT}
# Readiness, not liveness: Compose starts dependants only once the service can do its work.
# curl ships with the eclipse-temurin images.
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=6 \
    CMD curl -fsS "http://localhost:${HOMECOMING_HEALTH_PORT}/actuator/health/readiness" > /dev/null || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/homecoming/app.jar"]
