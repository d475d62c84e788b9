"""The production compose file keeps its shape: one hardened image, gated start-up.

No Docker engine is needed: the file is read as YAML, merge keys resolved.
"""

from pathlib import Path

import pytest
import yaml

COMPOSE_FILE = Path(__file__).resolve().parent.parent / "docker-compose.yml"
APP_SERVICES = ["migrate", "web", "worker", "beat"]
LONG_RUNNING = ["web", "worker", "beat"]


@pytest.fixture(scope="module")
def services() -> dict:
    compose = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    return compose["services"]


def test_every_service_is_defined(services):
    assert set(services) >= {"postgres", "redis", "migrate", "web", "worker", "beat"}


def test_app_services_share_one_image_and_build(services):
    images = {services[name].get("image") for name in APP_SERVICES}
    builds = {repr(services[name].get("build")) for name in APP_SERVICES}
    assert len(images) == 1
    assert None not in images
    assert len(builds) == 1
    assert services["web"].get("build") is not None


def test_web_worker_beat_wait_for_migrate_and_healthy_backends(services):
    for name in LONG_RUNNING:
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name


def test_migrate_is_one_shot(services):
    migrate = services["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate.get("restart") in {"no", None}
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_are_hardened(services, name):
    service = services[name]
    assert service["read_only"] is True
    assert service["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in service["security_opt"]
    assert "/tmp" in service["tmpfs"]  # noqa: S108 - a mount in the compose file
    user = str(service["user"])
    assert user.split(":")[0] not in {"0", "root", ""}


def test_backends_have_healthchecks(services):
    assert "pg_isready" in str(services["postgres"]["healthcheck"]["test"])
    assert "redis-cli" in services["redis"]["healthcheck"]["test"]
    assert "ping" in services["redis"]["healthcheck"]["test"]


def test_web_healthcheck_uses_healthz(services):
    assert "/healthz/" in str(services["web"]["healthcheck"]["test"])


def test_state_lives_in_named_volumes(services):
    compose = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    volumes = compose["volumes"]
    postgres_mounts = services["postgres"]["volumes"]
    assert any(m.split(":")[0] in volumes for m in postgres_mounts)
    for name in APP_SERVICES:
        assert any(m.split(":")[0] in volumes for m in services[name]["volumes"]), name


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_get_the_seal_key_and_refuse_to_start_without_it(services, name):
    assert services[name]["environment"]["XC_SEAL_KEYS"].startswith("${XC_SEAL_KEYS:?")


def test_the_image_can_back_up_the_composed_database(services):
    # `manage.py backup` runs pg_dump inside the app image: its client must be of the server's
    # major version or newer (bookworm's postgresql-client is 15).
    dockerfile = (COMPOSE_FILE.parent / "Dockerfile").read_text(encoding="utf-8")
    assert "slim-bookworm" in dockerfile
    assert "postgresql-client" in dockerfile
    assert services["postgres"]["image"] == "postgres:15"
