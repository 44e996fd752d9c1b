# vpe-bot: one image for the Procfile's process types, installed from the same wheel that
# `make test` builds and checks (tests/e2e/test_installed_wheel.py).
#   docker build -t vpe-bot .
#   docker run --env-file .env -p 3000:3000 vpe-bot                     # web (HTTP mode)
#   docker run --env-file .env vpe-bot vpe-bot scheduler                 # clock
#   docker run --env-file .env vpe-bot vpe-bot migrate                   # release step
FROM python:3.11-slim AS wheel
WORKDIR /src
COPY pyproject.toml README.md ./
COPY content ./content
COPY bot ./bot
RUN pip wheel --no-deps -w /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
COPY --from=wheel /wheels /wheels
RUN pip install /wheels/*.whl && rm -rf /wheels && useradd --create-home vpebot
USER vpebot
WORKDIR /home/vpebot

EXPOSE 3000
CMD ["vpe-bot", "serve"]
