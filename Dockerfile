# Atelier des territoires — image de production (web, worker Celery et beat).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ATELIER_MEDIA_ROOT=/data/media

# Bibliothèques système de WeasyPrint (génération des PDF) et polices ; pg_dump et pg_restore
# (15, comme le service db) pour `manage.py sauvegarder` et `restaurer`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        fonts-dejavu-core \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# Utilisateur non privilégié ; le code reste la propriété de root (lecture seule pour
# l'application), seul le répertoire des fichiers téléversés lui est accessible en écriture.
RUN groupadd --system atelier \
    && useradd --system --gid atelier --home-dir /app --no-create-home --shell /usr/sbin/nologin atelier \
    && mkdir -p /data/media \
    && chown atelier:atelier /data/media

WORKDIR /app

COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .

# Fichiers statiques collectés à la construction, avec le stockage de production (noms avec
# empreinte, compression) : le même que l'étape production de la CI, dont les navigateurs
# vérifient l'intégrité (SRI). Clé secrète jetable, non utilisée ensuite ; collectstatic ne
# touche ni base, ni Redis, ni SMTP, d'où ATELIER_DEMO_SANS_INFRA le temps de cette commande.
RUN DJANGO_SECRET_KEY=collectstatic-build-only-not-a-secret \
    ATELIER_SIGNING_KEY=Y29sbGVjdHN0YXRpYy1wYXMtdW5lLXZyYWllLWNsZSE= \
    DJANGO_DEBUG=0 \
    DJANGO_ALLOWED_HOSTS=localhost \
    ATELIER_DEMO_SANS_INFRA=1 \
    python manage.py collectstatic --noinput

USER atelier

VOLUME ["/data/media"]
EXPOSE 8000

# Derrière le proxy de docker-compose.yml, qui passe --forwarded-allow-ips (son adresse).
# gthread, 2 workers × 4 threads : choisi avec bench/load.py (README, « Mesures de performance »).
CMD ["gunicorn", "atelier.wsgi:application", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", "--workers", "2", "--threads", "4", "--access-logfile", "-"]
