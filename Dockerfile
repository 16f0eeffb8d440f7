# Production image: gunicorn serving the toolkit, static files by whitenoise.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

# WeasyPrint (session pack PDFs) needs pango and harfbuzz's subsetter, and fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN useradd --create-home --uid 1000 toolkit

# Everything the app needs (.dockerignore leaves out tests, docs, the venv, git).
COPY . .
RUN pip install .

# collectstatic needs settings to load; the real secret comes at run time.
RUN DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    DJANGO_ALLOWED_HOSTS=localhost TOOLKIT_SITE_URL=https://localhost \
    python manage.py collectstatic --noinput

USER toolkit
EXPOSE 8000
# An explicit worker timeout: a request still running after 60 s is killed (gunicorn's
# default is 30 s). Nothing should come near it: large imports run in the background
# worker (docker-compose's "worker" service, `python manage.py db_worker`).
CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn reviews_toolkit.wsgi:application --bind 0.0.0.0:8000 --workers 3 --timeout 60 --graceful-timeout 30 --access-logfile -"]
