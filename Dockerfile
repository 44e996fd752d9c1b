# vpe-bot: one image for the Procfile's three process types.
#   docker build -t vpe-bot .
#   docker run --env-file .env -p 3000:3000 vpe-bot                     # web (HTTP mode)
#   docker run --env-file .env vpe-bot vpe-bot scheduler                 # clock
#   docker run --env-file .env vpe-bot vpe-bot migrate                   # release step
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY content ./content
RUN pip install . && useradd --create-home vpebot
USER vpebot

EXPOSE 3000
CMD ["vpe-bot", "serve"]
