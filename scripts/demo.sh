#!/usr/bin/env bash
# Installs and runs the demo on the embedded default: SQLite, Celery tasks in process, no Redis.
# Creates .venv, installs requirements, migrates, loads the demo data (idempotent), prints the
# demo logins and serves the product on http://127.0.0.1:8000/.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    echo "== installing python3-venv"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv >/dev/null
    "$PYTHON" -m venv .venv
  fi
fi
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
export DEBUG=1
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo
echo "Open http://127.0.0.1:8000/ (Ctrl-C to stop)."
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
