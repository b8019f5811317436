"""docker-compose.yml describes the production topology; no Docker engine runs here, so its
structure is checked as YAML (and ``.ci/run`` also runs ``docker compose config`` when a
compose binary is installed)."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()


def command(service: str) -> str:
    value = SERVICES[service]["command"]
    return " ".join(value) if isinstance(value, list) else value


def test_every_part_of_the_topology_is_there():
    assert set(SERVICES) == {
        "proxy", "web", "migrate", "worker", "beat", "db", "redis", "cache", "s3"
    }  # fmt: skip


def test_web_is_reachable_only_through_the_proxy():
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == {"proxy"}
    proxy_ip = SERVICES["proxy"]["networks"]["front"]["ipv4_address"]
    assert f"--forwarded-allow-ips={proxy_ip}" in command("web")
    assert set(SERVICES["web"]["networks"]) == {"front", "back"}
    # The front network holds only the proxy and web: nothing else can reach web through it.
    on_front = {n for n, s in SERVICES.items() if "front" in (s.get("networks") or [])}
    assert on_front == {"proxy", "web"}
    assert "proxy_pass $web" in NGINX and "set $web http://web:8000" in NGINX


def test_web_and_worker_scale_out():
    for name in ("web", "worker"):
        service = SERVICES[name]
        assert "container_name" not in service
        assert not service.get("ports")
    # Migrations run once, in their own service, not in each web container.
    assert "migrate" not in command("web")
    assert SERVICES["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    # The proxy re-resolves web through Docker's DNS: new replicas get requests.
    assert re.search(r"resolver 127\.0\.0\.11 valid=\d+s", NGINX)


def test_no_server_version_banner():
    assert "server_tokens off;" in NGINX


def test_broker_and_cache_are_separate_redis_with_the_right_eviction():
    env = COMPOSE["x-app-env"]
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert env["ATELIER_CACHE_REDIS_URL"].startswith("redis://cache:")
    assert "--maxmemory-policy noeviction" in command("redis")
    cache = command("cache")
    assert "--maxmemory ${ATELIER_CACHE_MAXMEMORY:-256mb}" in cache
    assert "--maxmemory-policy allkeys-lru" in cache


def test_media_on_the_object_storage_service():
    env = COMPOSE["x-app-env"]
    assert env["ATELIER_S3_ENDPOINT_URL"] == "http://s3:8333"
    assert "-bucket=${ATELIER_S3_BUCKET:-atelier-medias}" in command("s3")
    assert SERVICES["s3"]["environment"]["AWS_SECRET_ACCESS_KEY"] == env["AWS_SECRET_ACCESS_KEY"]


def test_production_settings_and_no_default_password():
    env = COMPOSE["x-app-env"]
    assert env["DJANGO_DEBUG"] == "0"
    for value in (env["DATABASE_URL"], SERVICES["db"]["environment"]["POSTGRES_PASSWORD"]):
        assert "${POSTGRES_PASSWORD:?" in value


def test_every_compose_variable_is_in_env_example():
    source = (ROOT / "docker-compose.yml").read_text()
    example = (ROOT / ".env.example").read_text()
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", source)) | {
        name for name, value in COMPOSE["x-app-env"].items() if value is None
    }
    for name in used:
        assert name in example, f"{name} manque dans .env.example"


def _gunicorn(arguments: list[str]) -> dict[str, str]:
    """The worker model of a gunicorn command line: its class, workers and threads."""
    options, i = {}, 0
    while i < len(arguments):
        nom, _, valeur = arguments[i].partition("=")
        if nom in ("--worker-class", "--workers", "--threads"):
            if not valeur:
                i += 1
                valeur = arguments[i]
            options[nom] = valeur
        i += 1
    return {"--worker-class": "sync", "--threads": "1", **options}


def test_gunicorn_runs_the_same_way_in_the_image_compose_and_the_ci():
    """The CI's production step measures what ships: gthread, 2 workers × 4 threads."""
    import json
    import shlex

    cmd = next(
        line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD")
    )
    image = _gunicorn(json.loads(cmd.removeprefix("CMD")))
    compose = _gunicorn(SERVICES["web"]["command"])
    script = (ROOT / ".ci" / "production").read_text().replace("\\\n", " ")
    ligne = next(line for line in script.splitlines() if '/bin/gunicorn"' in line)
    ci = _gunicorn(shlex.split(ligne))
    attendu = {"--worker-class": "gthread", "--workers": "2", "--threads": "4"}
    assert image == compose == ci == attendu
