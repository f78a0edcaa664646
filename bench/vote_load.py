"""Load bench for online Party voting.

    .venv/bin/python bench/vote_load.py [--voters 500] [--seconds 60] [--workers 4] [--groups 300]

1. Starts a throwaway PostgreSQL cluster on a unix socket (no TCP), migrates, and seeds N
   Supplier Parties, each with one authorised voter (confirmed TOTP device and API token).
2. Starts gunicorn on 127.0.0.1 only (bounded workers, bounded run time).
3. A lean asyncio HTTP/1.1 client makes N casts (POST /api/v1/ballots/<id>/votes/) spread evenly
   over the window (open loop), then the same number of requests to a bare WSGI endpoint that
   does one INSERT through Django's connection; prints errors, p50/p95 latency, throughput, the
   ratio of the two, and the client's own CPU time (to show the client is not the bottleneck).
4. Times close + tally + declaration of a separate ballot with `--groups` voting Groups.
Everything is stopped and removed at the end.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BARE_PATH = "/bench/insert/"


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


def application_factory():  # type: ignore[no-untyped-def]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcusa.settings")
    from dcusa.wsgi import application

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
        opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(hours=2),
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
        opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(hours=1),
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
    later = now + dt.timedelta(hours=2)
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


def cast_request(host: str, port: int, ballot: int, question: int, token: str, entry: int) -> bytes:
    body = json.dumps({"group": str(entry), "question": question, "choice": "accept"}).encode()
    return (
        f"POST /api/v1/ballots/{ballot}/votes/ HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Token {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


def bare_request(host: str, port: int) -> bytes:
    return (
        f"POST {BARE_PATH} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: 0\r\n"
        "Connection: close\r\n\r\n"
    ).encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--pg-port", type=int, default=55490)
    parser.add_argument("--http-port", type=int, default=8790)
    args = parser.parse_args()
    host = "127.0.0.1"
    tmp = Path(tempfile.mkdtemp(prefix="vote-bench-"))
    server = None
    try:
        url = start_postgres(tmp, args.pg_port)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "DCUSA_INSECURE_DEFAULTS": "1",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": host,
            "DJANGO_SETTINGS_MODULE": "dcusa.settings",
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": "60",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        os.environ.update(env)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        import django

        django.setup()
        ballot, question, jobs = seed(args.voters)
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "bench.vote_load:application_factory()",
                "--bind",
                f"{host}:{args.http_port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        time.sleep(3)
        # Warm every worker (URLconf, DRF, first connection) so the first casts do not pay for it.
        warm = f"GET /api/v1/ballots/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        asyncio.run(run_load(host, args.http_port, [warm.encode()] * (4 * args.workers), 2))
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        votes = asyncio.run(
            run_load(
                host,
                args.http_port,
                [cast_request(host, args.http_port, ballot, question, t, e) for t, e in jobs],
                args.seconds,
            )
        )
        bare = asyncio.run(
            run_load(
                host, args.http_port, [bare_request(host, args.http_port)] * len(jobs), args.seconds
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
            f"client CPU: {client_cpu:.2f} s for {2 * len(jobs)} requests over {2 * args.seconds:.0f} s"
        )
        print("close + tally + declaration:", json.dumps(close_bench(args.groups)))
        return 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(10)
        stop_postgres(tmp)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
