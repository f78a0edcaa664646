"""Health page, production settings, demo data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from panel.models import (
    Category,
    MeteringSnapshot,
    Party,
    PartyCategoryMembership,
    Suspension,
    User,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"].startswith("ok")


def _run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    test_only = {"DEBUG", "DCUSA_INSECURE_DEFAULTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in test_only}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _run_manage("check", SECRET_KEY="", ALLOWED_HOSTS="dcusa.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check() -> None:
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k" * 20 + "-production-secret-value-with-enough-entropy-x9",
        ALLOWED_HOSTS="dcusa.example",
        SECURE_SSL_REDIRECT="1",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_seed_demo_builds_every_category_and_is_idempotent() -> None:
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    counts = (Party.objects.count(), MeteringSnapshot.objects.count(), User.objects.count())
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    assert (Party.objects.count(), MeteringSnapshot.objects.count(), User.objects.count()) == counts
    held = set(PartyCategoryMembership.objects.values_list("category", flat=True))
    assert held == set(Category.values)
    assert Party.objects.filter(is_crowded_meter_room_coordinator=True, categories=None).exists()
    assert Suspension.objects.exists()
    assert User.objects.filter(role="SECRETARIAT").exists()
