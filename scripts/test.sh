#!/usr/bin/env bash
# Runs every test on a throwaway PostgreSQL cluster that this script starts and removes,
# plus ruff, mypy, the import contracts (lint-imports), `manage.py check` and
# `makemigrations --check`.
# Usage: scripts/test.sh [extra pytest arguments]
set -Eeuo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  if [ -z "${APT_UPDATED:-}" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# 1. System packages: PostgreSQL server binaries and Chromium for the browser journeys.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "== installing PostgreSQL"; apt_install postgresql
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "== installing Chromium"; apt_install chromium chromium-driver
fi

# 2. Python environment.
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then "$PYTHON" -m venv .venv; fi
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt

# 3. A throwaway cluster on a unix socket (PostgreSQL refuses to run as root: use its own user).
PGTMP=$(mktemp -d /tmp/dcusa-pg.XXXXXX)
PGPORT=${PGPORT:-55432}
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$PGTMP"
  RUN_AS=(runuser -u postgres --)
fi
cleanup() {
  "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap cleanup EXIT
"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$PGTMP/data" -U dcusa --auth=trust -E UTF8 >/dev/null
"${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w \
  -o "-k $PGTMP -p $PGPORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
export DATABASE_URL="postgres://dcusa@/dcusa?host=$PGTMP&port=$PGPORT"
"$PG_BIN/createdb" -h "$PGTMP" -p "$PGPORT" -U dcusa dcusa
export DEBUG=0 DCUSA_INSECURE_DEFAULTS=1 SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS="*"
export PYTHONDONTWRITEBYTECODE=1

if [ -z "${SKIP_LINT:-}" ]; then  # SKIP_LINT=1 only while iterating on tests
  echo "== ruff"; .venv/bin/ruff check .
  echo "== ruff format"; .venv/bin/ruff format --check --quiet . || { echo "run: .venv/bin/ruff format ."; exit 1; }
  echo "== mypy"; .venv/bin/mypy
  # Layers, the pure law modules and no import cycles ([tool.importlinter] in pyproject.toml).
  echo "== lint-imports"; .venv/bin/lint-imports --no-cache
fi
echo "== manage.py check"; .venv/bin/python manage.py check --fail-level WARNING
echo "== makemigrations --check"; .venv/bin/python manage.py makemigrations --check --dry-run
echo "== pytest on PostgreSQL"
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" = 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi
exit "$status"
