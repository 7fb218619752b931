# newsbot: `newsbot run` in a container. Data (the SQLite store) lives on the /data volume.
#   docker build -t newsbot .
#   docker run -d --name newsbot -e TELEGRAM_BOT_TOKEN=... -v newsbot-data:/data newsbot
# Webhook mode: add -e NEWSBOT_WEBHOOK_URL=https://your.host/tg/hook -p 8080:8080 (TLS at a proxy).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    NEWSBOT_DB=/data/newsbot.db NEWSBOT_SEEDS=/app/seeds \
    NEWSBOT_WEBHOOK_LISTEN=0.0.0.0 NEWSBOT_WEBHOOK_PORT=8080

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY seeds ./seeds
RUN pip install --no-cache-dir . && useradd --system --home-dir /data newsbot \
    && mkdir -p /data && chown newsbot /data

USER newsbot
VOLUME /data
EXPOSE 8080
# In webhook mode /healthz answers 200 while the bot runs and its store answers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import os,sys,urllib.request; sys.exit(0) if not os.environ.get('NEWSBOT_WEBHOOK_URL') else urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"
STOPSIGNAL SIGTERM
CMD ["newsbot", "run"]
