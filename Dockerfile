# consultation-bot: a small image that runs `consultbot run` as a non-root user.
# Build from the repository alone:  docker build -t consultation-bot .
# Run it with PostgreSQL:           docker compose up   (see compose.yaml, docs/deploying.md)

FROM python:3.12-slim AS build
WORKDIR /src
# Everything .dockerignore lets through: the packages, pyproject.toml and the README.
COPY . .
# Wheels for the bot and everything it needs, PostgreSQL driver included.
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[postgres]"

FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN useradd --system --uid 10001 --user-group --home-dir /home/consultbot --create-home consultbot
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels "consultation-bot[postgres]" \
    && rm -rf /wheels
COPY deploy/config.toml /etc/consultbot/config.toml
WORKDIR /home/consultbot
USER consultbot
# 8080: the webhook (when [webhook] is set); 9464: /healthz, /readyz and /metrics.
EXPOSE 8080 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9464/healthz', timeout=4)"]
ENTRYPOINT ["consultbot"]
CMD ["run", "--config", "/etc/consultbot/config.toml", "--log-format", "json"]
