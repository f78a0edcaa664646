"""Load bench for online Party voting.

    .venv/bin/python bench/vote_load.py [--voters 500] [--seconds 60] [--workers 5] [--groups 300]
        [--sat-steps 2,4,8,16,32,64] [--sat-seconds 10] [--sat-rounds 5]
        [--worker-class gthread|sync] [--threads 4]

1. Starts a throwaway PostgreSQL cluster on a unix socket (no TCP), migrates, and seeds N
   Supplier Parties, each with one authorised voter (confirmed TOTP device and API token).
2. Starts gunicorn on 127.0.0.1 only (bounded workers, bounded run time).
3. A lean asyncio HTTP/1.1 client makes N casts (POST /api/v1/ballots/<id>/votes/, answered by the
   framework's view and the one casting service, voting.services.casting) spread evenly
   over the window (open loop), then the same number of requests to a bare WSGI endpoint that
   does one INSERT through Django's connection; prints errors, p50/p95 latency, throughput, the
   ratio of the two, and the client's own CPU time (to show the client is not the bottleneck).
4. Saturation (closed loop): K keep-alive connections (ramp, e.g. 2, 4, 8, ... 64, stopping when
   requests/s no longer rises by more than 5%) each send requests back to back for
   `--sat-seconds` per step: to the cast endpoint (connection k casts in turn for every k-th of
   `--sat-voters` voters, each for its own Group, all on one ballot; a second pass changes each
   vote), to the bare Django view doing one INSERT (through the project's URLs and middleware,
   as every view is), and to the same INSERT as a raw WSGI callable with no Django. Prints
   requests/s per step, the best of each, the ratio cast / bare Django view (the target) and
   the others, errors, the CPU used by the client, the gunicorn workers, PostgreSQL and
   everything else on the machine, and how many PostgreSQL backends were waiting for a lock.
   Then `--sat-rounds` rounds measure the cast and the Django view one right after the other, each
   at its best number of connections, and print each round's ratio with their median and lowest
   (the machine's speed drifts over minutes; a ratio from one round is not skewed by it).
5. Times close + tally + declaration of a separate ballot with `--groups` voting Groups.
The server reuses database connections (CONN_MAX_AGE=600) and runs 2 * cores + 1 gthread workers
of 4 threads by default. Everything is on 127.0.0.1 / unix sockets, bounded in time, stopped and removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BARE_PATH = "/bench/insert/"
# The same INSERT as a Django view, through the project's middleware and URL resolver.
DJANGO_INSERT_PATH = "/bench/django-insert/"


def bare_insert_app(django_app):  # type: ignore[no-untyped-def]
    """WSGI wrapper: BARE_PATH runs one INSERT through Django's connection, else Django."""
    from django.db import connection

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        if environ.get("PATH_INFO") == BARE_PATH:
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO bench_insert (body) VALUES (%s)", ["x"])
            start_response("201 Created", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"ok"]
        return django_app(environ, start_response)

    return app


def django_insert_view(request):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.http import HttpResponse

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_insert (body) VALUES (%s)", ["x"])
    return HttpResponse(b"ok", status=201, content_type="text/plain")


def application_factory():  # type: ignore[no-untyped-def]
    import importlib

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcusa.settings")
    from django.conf import settings
    from django.urls import clear_url_caches, path
    from django.views.decorators.csrf import csrf_exempt

    from dcusa.wsgi import application

    # Only in the bench's own gunicorn: one more URL, DJANGO_INSERT_PATH, in front of the others.
    urls = importlib.import_module(settings.ROOT_URLCONF)
    urls.urlpatterns.insert(
        0, path(DJANGO_INSERT_PATH.lstrip("/"), csrf_exempt(django_insert_view))
    )
    clear_url_caches()
    return bare_insert_app(application)


# -- PostgreSQL -------------------------------------------------------------------------------


def start_postgres(tmp: Path, port: int) -> str:
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    run_as = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    if os.getuid() == 0:
        shutil.chown(tmp, "postgres")
    subprocess.run(
        [*run_as, str(pg_bin / "initdb"), "-D", str(tmp / "data"), "-U", "dcusa", "--auth=trust"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    opts = f"-k {tmp} -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c max_connections=100"
    subprocess.run(
        [
            *run_as,
            str(pg_bin / "pg_ctl"),
            "-D",
            str(tmp / "data"),
            "-l",
            str(tmp / "log"),
            "-w",
            "-o",
            opts,
            "start",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [str(pg_bin / "createdb"), "-h", str(tmp), "-p", str(port), "-U", "dcusa", "dcusa"],
        check=True,
    )
    return f"postgres://dcusa@/dcusa?host={tmp}&port={port}"


def stop_postgres(tmp: Path) -> None:
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    run_as = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    subprocess.run(
        [*run_as, str(pg_bin / "pg_ctl"), "-D", str(tmp / "data"), "-m", "immediate", "stop"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# -- seeding (in this process, through the services) ------------------------------------------


def seed(voters: int) -> tuple[int, int, list[tuple[str, int]]]:
    import datetime as dt

    from django.db import connection
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import Token

    from panel.models import (
        Category,
        Party,
        PartyCategoryMembership,
        PartyRepresentative,
        Role,
        User,
    )
    from voting.models import RollMember
    from voting.services import ballot_open

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_insert (id bigserial primary key, body text)"
        )
    secretariat = User.objects.create(username="bench-sec", role=Role.SECRETARIAT)
    since = dt.date(2020, 1, 1)
    parties = Party.objects.bulk_create(
        Party(
            name=f"Bench Supplier {i}",
            short_code=f"B{i:05d}",
            company_number=f"B{i:07d}",
            registered_address="x",
            notice_address="x",
            accession_date=since,
        )
        for i in range(voters)
    )
    PartyCategoryMembership.objects.bulk_create(
        PartyCategoryMembership(party=p, category=Category.SUPPLIER, valid_from=since)
        for p in parties
    )
    users = User.objects.bulk_create(
        User(username=f"bench-voter-{i}", role=Role.PARTY_REPRESENTATIVE) for i in range(voters)
    )
    now = timezone.now()
    PartyRepresentative.objects.bulk_create(
        PartyRepresentative(user=u, party=p, authorised_voter=True, confirmed_at=now)
        for u, p in zip(users, parties, strict=True)
    )
    TOTPDevice.objects.bulk_create(TOTPDevice(user=u, name="bench", confirmed=True) for u in users)
    tokens = Token.objects.bulk_create(Token(user=u, key=Token.generate_key()) for u in users)
    ballot = ballot_open(
        by=secretariat,
        reference="DCP 9001",
        matter="part2",
        eligible=["SUPPLIER"],
        opens_at=now - dt.timedelta(minutes=1),  # the default window: 15 Working Days (12.4.1)
    )
    entries = {
        m.party_id: m.roll_entry_id for m in RollMember.objects.filter(roll_entry__ballot=ballot)
    }
    question = ballot.questions.get(kind="variation").pk
    jobs = [(t.key, entries[p.pk]) for t, p in zip(tokens, parties, strict=True)]
    return ballot.pk, question, jobs


def close_bench(groups: int) -> dict[str, float]:
    """Close + tally + declaration of a vote where `groups` Groups voted."""
    import datetime as dt
    from unittest import mock

    from django.utils import timezone

    from panel.models import (
        Category,
        MeteringSnapshot,
        Party,
        PartyCategoryMembership,
        PartyRepresentative,
        Role,
        User,
    )
    from voting.models import RollEntry
    from voting.services import ballot_open, ballots_close_due, vote_cast

    since = dt.date(2020, 1, 1)
    secretariat = User.objects.get(username="bench-sec")
    parties = Party.objects.bulk_create(
        Party(
            name=f"Bench DNO {i}",
            short_code=f"D{i:05d}",
            company_number=f"D{i:07d}",
            registered_address="x",
            notice_address="x",
            accession_date=since,
        )
        for i in range(groups)
    )
    PartyCategoryMembership.objects.bulk_create(
        PartyCategoryMembership(party=p, category=Category.DNO, valid_from=since) for p in parties
    )
    MeteringSnapshot.objects.bulk_create(
        MeteringSnapshot(
            party=p,
            category=Category.DNO,
            metering_points=1000 + 37 * i,
            as_of=since,
            received_on=since,
            source="bench",
        )
        for i, p in enumerate(parties)
    )
    now = timezone.now()
    ballot = ballot_open(
        by=secretariat,
        reference="DCP 9002",
        matter="part1",
        eligible=["DNO"],
        opens_at=now - dt.timedelta(minutes=1),  # the default window: 15 Working Days (12.4.1)
    )
    question = ballot.questions.get(kind="variation")
    voter = User.objects.create(username="bench-dno-voter", role=Role.PARTY_REPRESENTATIVE)
    PartyRepresentative.objects.bulk_create(
        PartyRepresentative(user=voter, party=p, authorised_voter=True, confirmed_at=now)
        for p in parties
    )
    for i, entry in enumerate(RollEntry.objects.filter(ballot=ballot)):
        vote_cast(
            ballot=ballot,
            roll_entry=entry,
            by=voter,
            answers={question.pk: "accept" if i % 3 else "reject"},
            second_factor=True,
        )
    later = ballot.closes_at + dt.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        start = time.perf_counter()
        closed = ballots_close_due(now=later)
        elapsed = time.perf_counter() - start
    assert ballot.pk in closed
    return {"groups": groups, "close_tally_declare_seconds": round(elapsed, 3)}


# -- the client -------------------------------------------------------------------------------


async def _request(host: str, port: int, raw: bytes) -> tuple[int, float]:
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(raw)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    if length:
        await reader.readexactly(length)
    writer.close()
    return status, time.perf_counter() - start


async def run_load(
    host: str, port: int, requests: list[bytes], seconds: float
) -> dict[str, object]:
    """Open loop: request i starts at i * seconds / n, whatever the earlier ones are doing."""
    results: list[tuple[int, float]] = []
    errors: list[str] = []
    gap = seconds / max(len(requests), 1)
    start = time.perf_counter()

    async def one(i: int, raw: bytes) -> None:
        await asyncio.sleep(max(0.0, start + i * gap - time.perf_counter()))
        try:
            status, latency = await _request(host, port, raw)
            results.append((status, latency))
            if status >= 400:
                errors.append(str(status))
        except (OSError, asyncio.IncompleteReadError) as exc:
            errors.append(type(exc).__name__)

    await asyncio.gather(*(one(i, raw) for i, raw in enumerate(requests)))
    wall = time.perf_counter() - start
    latencies = sorted(lat for _, lat in results)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "requests": len(requests),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "p50_ms": round(q[49] * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "throughput_per_s": round(len(results) / wall, 1),
    }


async def _closed_loop_connection(
    host: str,
    port: int,
    requests: list[bytes],
    deadline: float,
    latencies: list[float],
    errors: list[str],
) -> None:
    """One keep-alive connection sending `requests` in turn, back to back, until `deadline`.

    If the server answers `Connection: close` (gunicorn's sync workers always do), reconnect.
    """
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    i = 0
    while time.perf_counter() < deadline:
        raw = requests[i % len(requests)]
        i += 1
        start = time.perf_counter()
        try:
            if writer is None or reader is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length, close = 0, False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            if length:
                await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if not 200 <= status < 300:
                errors.append(str(status))
            if close:
                writer.close()
                reader = writer = None
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            errors.append(type(exc).__name__)
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


async def run_closed_loop(
    host: str, port: int, per_connection: list[list[bytes]], seconds: float
) -> dict[str, object]:
    """len(per_connection) connections, each sending its own requests back to back."""
    latencies: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()
    await asyncio.gather(
        *(
            _closed_loop_connection(host, port, reqs, start + seconds, latencies, errors)
            for reqs in per_connection
        )
    )
    wall = time.perf_counter() - start
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "connections": len(per_connection),
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(q[49] * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "wall_s": round(wall, 1),
    }


def _cpu_ticks(server_pgid: int, postmaster: int) -> dict[str, int]:
    """CPU ticks (user + system) of the gunicorn process group and of the PostgreSQL cluster."""
    totals = {"server": 0, "postgres": 0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid = int(stat.parent.name)
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError, ValueError):
            continue
        ppid, pgrp, ticks = int(fields[1]), int(fields[2]), int(fields[11]) + int(fields[12])
        if pgrp == server_pgid:
            totals["server"] += ticks
        elif pid == postmaster or ppid == postmaster:
            totals["postgres"] += ticks
    return totals


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine, every process included (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    total = sum(values[:8])
    return total - values[3] - values[4], total


class LockWaitSampler(threading.Thread):
    """Samples, every 0.2 s, how many PostgreSQL backends are waiting for a lock."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.samples: list[int] = []

    def run(self) -> None:
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                while not self.stop.wait(0.2):
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    )
                    self.samples.append(int(cursor.fetchone()[0]))
        finally:
            connection.close()

    def summary(self) -> dict[str, float]:
        self.stop.set()
        self.join(5)
        n = max(len(self.samples), 1)
        return {
            "lock_waiters_avg": round(sum(self.samples) / n, 1),
            "lock_waiters_max": max(self.samples, default=0),
        }


def _client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(
    label: str,
    host: str,
    port: int,
    connection_requests: list[list[bytes]],
    k: int,
    seconds: float,
    cpu_of: dict[str, int],
) -> dict[str, object]:
    """One closed-loop step of `k` connections for `seconds`, with the CPU each party used."""
    tick = os.sysconf("SC_CLK_TCK")
    cores = os.cpu_count() or 1
    conns = [connection_requests[i % len(connection_requests)] for i in range(k)]
    sampler = LockWaitSampler()
    sampler.start()
    machine0 = _machine_ticks()
    cpu0, ticks0, t0 = _client_cpu(), _cpu_ticks(**cpu_of), time.perf_counter()
    step = asyncio.run(run_closed_loop(host, port, conns, seconds))
    cpu1, ticks1, wall = _client_cpu(), _cpu_ticks(**cpu_of), time.perf_counter() - t0
    machine1 = _machine_ticks()
    step.update(sampler.summary())
    client = cpu1 - cpu0
    step["client_cpu_s"] = round(client, 2)
    step["client_cpu_share_of_1_core"] = round(client / wall, 2)
    for name in ("server", "postgres"):
        used = (ticks1[name] - ticks0[name]) / tick
        step[f"{name}_cpu_s"] = round(used, 1)
    ours = client + step["server_cpu_s"] + step["postgres_cpu_s"]  # type: ignore[operator]
    busy = (machine1[0] - machine0[0]) / max(machine1[1] - machine0[1], 1)
    step["bench_cpu_share_of_machine"] = round(ours / (wall * cores), 2)
    step["machine_busy_share"] = round(busy, 2)
    step["others_cpu_share_of_machine"] = round(max(busy - ours / (wall * cores), 0.0), 2)
    step["load_avg_1m"] = round(os.getloadavg()[0], 2)
    print(f"saturation {label}:", json.dumps(step), flush=True)
    return step


def saturate(
    label: str,
    host: str,
    port: int,
    connection_requests: list[list[bytes]],
    steps: list[int],
    seconds: float,
    cpu_of: dict[str, int],
) -> dict[str, object]:
    """Ramp the number of connections until requests/s rises by no more than 5% over the best."""
    best: dict[str, object] = {}
    for k in steps:
        step = measure(label, host, port, connection_requests, k, seconds, cpu_of)
        if best and float(step["per_s"]) <= 1.05 * float(best["per_s"]):  # type: ignore[arg-type]
            if float(step["per_s"]) > float(best["per_s"]):  # type: ignore[arg-type]
                best = step
            break
        if not best or float(step["per_s"]) > float(best["per_s"]):  # type: ignore[arg-type]
            best = step
    return best


def cast_request(
    host: str,
    port: int,
    ballot: int,
    question: int,
    token: str,
    entry: int,
    choice: str = "accept",
    keep_alive: bool = False,
) -> bytes:
    body = json.dumps({"group": str(entry), "question": question, "choice": choice}).encode()
    connection = "" if keep_alive else "Connection: close\r\n"
    return (
        f"POST /api/v1/ballots/{ballot}/votes/ HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Token {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{connection}\r\n"
    ).encode() + body


def bare_request(host: str, port: int, keep_alive: bool = False, path: str = BARE_PATH) -> bytes:
    connection = "" if keep_alive else "Connection: close\r\n"
    return (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: 0\r\n{connection}\r\n"
    ).encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    # gthread keeps HTTP connections alive (gunicorn's sync workers close after every response).
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4, help="per worker (gthread)")
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--pg-port", type=int, default=55490)
    parser.add_argument("--http-port", type=int, default=8790)
    parser.add_argument(
        "--sat-steps", default="2,4,8,16,32,64", help="connections per saturation step, ascending"
    )
    parser.add_argument("--sat-seconds", type=float, default=10.0, help="per saturation step")
    parser.add_argument(
        "--sat-rounds",
        type=int,
        default=5,
        help="after the ramps, rounds of cast then Django view, each at its best connections",
    )
    parser.add_argument(
        "--sat-voters", type=int, default=3000, help="voters (Groups) the saturation casts for"
    )
    args = parser.parse_args()
    sat_steps = sorted({int(k) for k in args.sat_steps.split(",") if k.strip()})
    if args.sat_voters < max(sat_steps, default=0):
        parser.error("--sat-voters must be at least the largest --sat-steps")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    host = "127.0.0.1"
    tmp = Path(tempfile.mkdtemp(prefix="vote-bench-"))
    server = None
    broker = None
    try:
        url = start_postgres(tmp, args.pg_port)
        # As in production, the web processes only queue the receipt e-mails on a broker (a
        # Redis on a unix socket, no TCP); without one Celery would run them inside the request.
        redis_server = shutil.which("redis-server")
        if redis_server:
            sock = tmp / "redis.sock"
            broker = subprocess.Popen(
                [
                    redis_server,
                    "--port",
                    "0",
                    "--unixsocket",
                    str(sock),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
            for _ in range(50):
                if sock.exists():
                    break
                time.sleep(0.1)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "DCUSA_INSECURE_DEFAULTS": "1",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": host,
            "DJANGO_SETTINGS_MODULE": "dcusa.settings",
            "LOG_LEVEL": "WARNING",
            # Persistent database connections in every worker (dcusa/settings.py reads this).
            "CONN_MAX_AGE": "600",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        if broker is not None:
            env["REDIS_URL"] = f"redis+socket://{tmp / 'redis.sock'}"
        print(
            "receipt e-mails: "
            + ("queued on a local Redis" if broker else "sent in the request (no redis-server)"),
            flush=True,
        )
        os.environ.update(env)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        import django

        django.setup()
        ballot, question, jobs = seed(max(args.voters, args.sat_voters))
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "bench.vote_load:application_factory()",
                "--bind",
                f"{host}:{args.http_port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                args.worker_class,
                "--threads",
                str(args.threads),
                "--keep-alive",
                "5",
                "--backlog",
                "512",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        postmaster = int((tmp / "data" / "postmaster.pid").read_text().split()[0])
        cpu_of = {"server_pgid": server.pid, "postmaster": postmaster}
        time.sleep(3)
        if server.poll() is not None:
            raise SystemExit("gunicorn did not start")
        # Warm every worker (URLconf, DRF, first connection) so the first casts do not pay for it.
        warm = f"GET /api/v1/ballots/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        workers = args.workers * args.threads
        asyncio.run(run_load(host, args.http_port, [warm.encode()] * (4 * workers), 2))
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        votes = asyncio.run(
            run_load(
                host,
                args.http_port,
                [
                    cast_request(host, args.http_port, ballot, question, t, e)
                    for t, e in jobs[: args.voters]
                ],
                args.seconds,
            )
        )
        bare = asyncio.run(
            run_load(
                host,
                args.http_port,
                [bare_request(host, args.http_port)] * args.voters,
                args.seconds,
            )
        )
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        print("cast votes:", json.dumps(votes))
        print("bare INSERT view:", json.dumps(bare))
        p50 = float(votes["p50_ms"]) / max(float(bare["p50_ms"]), 0.1)  # type: ignore[arg-type]
        p95 = float(votes["p95_ms"]) / max(float(bare["p95_ms"]), 0.1)  # type: ignore[arg-type]
        print(f"ratio cast/bare: p50 x{p50:.1f}, p95 x{p95:.1f}")
        print(
            f"client CPU: {client_cpu:.2f} s for {2 * args.voters} requests over {2 * args.seconds:.0f} s"
        )
        print(
            f"server: gunicorn {args.workers} x {args.worker_class} worker(s), "
            f"{args.threads} thread(s) each, CONN_MAX_AGE={env['CONN_MAX_AGE']}",
            flush=True,
        )
        # Saturation: connection k casts in turn for every k-th of the `--sat-voters` voters, each
        # for its own Group, on one ballot, first "reject" then, on the next pass, "accept" (a
        # change of vote). Every cast on the ballot locks the ballot row (the head of the vote
        # log's hash chain), so casts on one ballot commit one at a time.
        top = max(sat_steps)
        cast_conns = [
            [
                cast_request(host, args.http_port, ballot, question, t, e, c, keep_alive=True)
                for c in ("reject", "accept")
                for t, e in jobs[k::top]
            ]
            for k in range(top)
        ]
        print(
            f"saturation: steps {sat_steps} x {args.sat_seconds:.0f} s (stop when < +5%); "
            f"{len(jobs)} voters, each for its own Group, all on one ballot, whose row every cast "
            "locks (lock_waiters_* counts backends waiting); connection k casts for every k-th "
            "voter in turn, a second pass changes each vote",
            flush=True,
        )
        bare_conns = [[bare_request(host, args.http_port, keep_alive=True)]]
        django_conns = [
            [bare_request(host, args.http_port, keep_alive=True, path=DJANGO_INSERT_PATH)]
        ]
        cast_best = saturate(
            "cast", host, args.http_port, cast_conns, sat_steps, args.sat_seconds, cpu_of
        )
        bare_best = saturate(
            "bare", host, args.http_port, bare_conns, sat_steps, args.sat_seconds, cpu_of
        )
        django_best = saturate(
            "django-view", host, args.http_port, django_conns, sat_steps, args.sat_seconds, cpu_of
        )

        def best(name: str, step: dict[str, object]) -> str:
            return (
                f"{name} {step['per_s']}/s at {step['connections']} connections "
                f"({step['errors']} errors, p95 {step['p95_ms']} ms)"
            )

        def ratio(a: dict[str, object], b: dict[str, object]) -> str:
            return f"{float(a['per_s']) / max(float(b['per_s']), 0.1):.3f}"  # type: ignore[arg-type]

        print(
            "saturation best:",
            "; ".join(
                (
                    best("cast", cast_best),
                    best("bare INSERT (WSGI)", bare_best),
                    best("INSERT as a Django view", django_best),
                )
            ),
        )
        # The machine's speed drifts over minutes: the target is read from rounds that measure the
        # cast and the Django view one right after the other, each at its best connections.
        rounds = []
        for r in range(args.sat_rounds):
            cast_step = measure(
                f"round {r + 1} cast",
                host,
                args.http_port,
                cast_conns,
                int(cast_best["connections"]),  # type: ignore[call-overload]
                args.sat_seconds,
                cpu_of,
            )
            view_step = measure(
                f"round {r + 1} django-view",
                host,
                args.http_port,
                django_conns,
                int(django_best["connections"]),  # type: ignore[call-overload]
                args.sat_seconds,
                cpu_of,
            )
            rounds.append(float(ratio(cast_step, view_step)))
        print(
            "saturation ratio cast / bare Django view doing one INSERT (target >= 0.5): "
            f"best of the ramps {ratio(cast_best, django_best)}; rounds "
            f"{', '.join(f'{x:.3f}' for x in rounds)}"
            + (
                f" (median {statistics.median(rounds):.3f}, lowest {min(rounds):.3f})"
                if rounds
                else ""
            )
            + f"; for reference, cast / the same INSERT as a raw WSGI callable with no Django: "
            f"{ratio(cast_best, bare_best)}; Django view / raw WSGI: {ratio(django_best, bare_best)}",
            flush=True,
        )
        print("close + tally + declaration:", json.dumps(close_bench(args.groups)))
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(10)
        if broker is not None:
            os.killpg(broker.pid, signal.SIGTERM)
            broker.wait(10)
        stop_postgres(tmp)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
