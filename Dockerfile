# Convene: one image for web (gunicorn), Celery worker and Celery beat (see docker-compose.yml).
# A pinned base: a rebuild gets the same Python and Debian release until this line changes.
FROM python:3.11.10-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000

WORKDIR /app
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin convene

# Dependencies first, so a code change does not reinstall them. The project itself is run
# from /app, never installed: `pip install .` only brings the pinned dependencies.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
# Static files are collected into the image (served by WhiteNoise). The key below exists only
# for this build step; the running container must be given its own SECRET_KEY.
RUN SECRET_KEY="build-only-collectstatic-key-not-used-at-runtime-0123456789" \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p var/celery/broker var/celery/processed var/mail var/media \
    && chown -R convene:convene var

USER convene
EXPOSE 8000
# Shell form so $PORT and $WEB_CONCURRENCY are read when the container starts. gunicorn takes
# X-Forwarded-Proto only from the addresses in FORWARDED_ALLOW_IPS (its own variable; default
# 127.0.0.1): docker-compose.yml sets it to the proxy's network. Never "*": then anyone who
# reaches the port could claim https.
CMD exec gunicorn config.wsgi:application --bind "0.0.0.0:${PORT}" \
    --workers "${WEB_CONCURRENCY:-3}" --access-logfile -
