"""Time the tally: ``python bench/tally_bench.py`` (from the repo root). Prints numbers only.

1. Six categories of 10,000 Groups each (targets: < 50 ms), timed as the engine alone
   (``decide`` on parsed votes) and as the whole ``tally_case`` (validation, decision and the
   result JSON with 60,000 percent strings).
2. 1,000 random realistic cases through ``tally_case`` (target: < 2 s).
3. Peak memory (tracemalloc) of one large tally.
"""

from __future__ import annotations

import gc
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from voting.decision import decide  # noqa: E402
from voting.tally import decide_case, parse_case, tally_case  # noqa: E402
from voting.weighting import CATEGORIES  # noqa: E402

# Rough sizes of the real categories: (number of Groups, typical N).
REALISTIC = {
    "DNO": (14, 2_000_000),
    "IDNO_OTSO": (12, 50_000),
    "SUPPLIER": (60, 300_000),
    "CVA": (25, 400),
    "GAS_SUPPLIER": (8, 1),
    "SIP": (3, 1),
}


def _n(rng: random.Random, typical: int) -> int:
    # Heavy-tailed, so some Groups hold well over 20% and the reallocation rounds run.
    return int(typical * rng.paretovariate(1.2))


def _vote(rng: random.Random, labels: list[str]) -> str | None:
    roll = rng.random()
    if roll < 0.2:
        return None
    if roll < 0.5:
        return "reject"
    return rng.choice(labels)


def big_case(groups: int, seed: int = 1) -> dict[str, object]:
    rng = random.Random(seed)
    categories = []
    for category in CATEGORIES:
        entries = [
            {"group": f"G{i}", "n": _n(rng, 1000), "vote": _vote(rng, ["proposal", "A"])}
            for i in range(groups)
        ]
        total = sum(int(str(e["n"])) for e in entries)
        # Three giants (about 40%, 25% and 20% of N) so the reallocation rounds run.
        for entry, share in zip(entries, (0.67, 0.42, 0.33), strict=False):
            entry["n"], entry["vote"] = int(total * share), "proposal"
        categories.append({"category": category, "groups": entries})
    return {"matter": "part2", "variations": ["proposal", "A"], "categories": categories}


def realistic_case(rng: random.Random) -> dict[str, object]:
    labels = ["proposal"] + (["A"] if rng.random() < 0.3 else [])
    categories = []
    for category, (size, typical) in REALISTIC.items():
        if rng.random() < 0.15:
            continue
        groups = [
            {"group": f"{category}-{i}", "n": _n(rng, typical), "vote": _vote(rng, labels)}
            for i in range(max(1, size + rng.randint(-size // 3, size // 3)))
        ]
        categories.append({"category": category, "eligible": rng.random() < 0.9, "groups": groups})
    return {
        "matter": rng.choice(["part1", "part2"]),
        "variations": labels,
        "categories": categories,
    }


def best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    case = big_case(10_000)
    parsed = parse_case(case)
    engine = best_of(5, lambda: decide(parsed.matter, parsed.categories, parsed.labels))
    whole = best_of(5, lambda: tally_case(case))
    decision = decide_case(case)
    rounds = max(len(c.weights.rounds) for c in decision.categories if c.weights)
    print("six categories x 10,000 Groups (best of 5):")
    print(f"  engine (decide on parsed votes):      {engine * 1000:8.1f} ms   (target < 50 ms)")
    print(f"  tally_case (validate, decide, JSON):  {whole * 1000:8.1f} ms")
    print(f"  reallocation rounds (most in one category): {rounds}")

    rng = random.Random(2024)
    cases = [realistic_case(rng) for _ in range(1000)]
    start = time.perf_counter()
    for c in cases:
        tally_case(c)
    elapsed = time.perf_counter() - start
    print(f"1,000 realistic cases through tally_case: {elapsed * 1000:8.1f} ms   (target < 2 s)")

    tracemalloc.start()
    tally_case(case)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak memory of one 6 x 10,000 tally (tracemalloc): {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
