"""``python -m voting.tally``: the JSON contract (/work/shared/spec/tally-contract.md)."""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from voting.tally import CaseError, decide_case, main, tally_case
from voting.weighting import UndefinedVote
from voting.workings import explain, percent, percent_of, to_dict

ROOT = Path(__file__).resolve().parents[2]

CONTRACT_CASE: dict[str, Any] = {
    "matter": "part1",
    "variations": ["proposal", "A"],
    "categories": [
        {
            "category": "DNO",
            "eligible": True,
            "groups": [
                {"group": "G1", "n": 2400000, "vote": "proposal"},
                {"group": "G2", "n": 1300000, "vote": "reject"},
                {"group": "G3", "n": 900000, "vote": None},
            ],
        }
    ],
}

CONTRACT_RESULT = {
    "matter": "part1",
    "counted_categories": ["DNO"],
    "categories": [
        {
            "category": "DNO",
            "eligible": True,
            "counted": True,
            "groups_total": 3,
            "groups_voted": 2,
            "method": "equal",
            "weights": {"G1": "50.000000", "G2": "50.000000"},
            "options": {
                "proposal": {
                    "accept_groups": 1,
                    "accept_share": "50.000000",
                    "accept_weight": "50.000000",
                    "passes": False,
                },
                "A": {
                    "accept_groups": 0,
                    "accept_share": "0.000000",
                    "accept_weight": "0.000000",
                    "passes": False,
                },
            },
        }
    ],
    "options": {
        "proposal": {"categories_passed": 0, "categories_counted": 1, "passes": False},
        "A": {"categories_passed": 0, "categories_counted": 1, "passes": False},
    },
    "outcome": "recommend_reject",
    "selected_option": None,
    "deemed_part1": False,
}


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it: a fresh Python with no Django settings at all."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "voting.tally", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def group(name: str, n: int, vote: str | None) -> dict[str, Any]:
    return {"group": name, "n": n, "vote": vote}


def test_contract_example_gives_the_contract_result(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CONTRACT_CASE))
    done = run_cli(str(path))
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout) == CONTRACT_RESULT


def test_case_can_come_on_stdin() -> None:
    done = run_cli(stdin=json.dumps(CONTRACT_CASE))
    assert done.returncode == 0
    assert json.loads(done.stdout) == CONTRACT_RESULT


def test_running_it_loads_no_django() -> None:
    code = "import sys, voting.tally; print(sorted(m for m in sys.modules if 'django' in m))"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_undefined_case_prints_error_json_and_exits_3() -> None:
    # Six Suppliers voted, all with N = 0: TN = 0 (12.11).
    case = {
        "matter": "part2",
        "categories": [
            {"category": "SUPPLIER", "groups": [group(f"S{i}", 0, "accept") for i in range(6)]}
        ],
    }
    done = run_cli(stdin=json.dumps(case))
    assert done.returncode == 3
    assert done.stderr == ""
    error = json.loads(done.stdout)["error"]
    assert error.startswith("SUPPLIER: ")
    assert "N = 0" in error


def test_explain_prints_the_workings() -> None:
    case = {
        "matter": "part2",
        "categories": [
            {
                "category": "SUPPLIER",
                "groups": [
                    group(f"G{i + 1}", n, "accept" if i % 2 else "reject")
                    for i, n in enumerate([45, 15, 10, 10, 10, 10])
                ],
            }
        ],
    }
    done = run_cli("--explain", stdin=json.dumps(case))
    assert done.returncode == 0
    assert "Round 2 (12.15-12.16)" in done.stdout
    assert "Surplus Vote SV = 25.000000%" in done.stdout
    assert "Outcome: rejected" in done.stdout


def valid_case() -> dict[str, Any]:
    return copy.deepcopy(CONTRACT_CASE)


def broken(path: str, value: Any = ..., delete: bool = False) -> dict[str, Any]:
    """The contract case with one field set (or deleted); ``path`` like ``categories.0.groups``."""
    case = valid_case()
    *parents, last = path.split(".")
    target: Any = case
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    key: Any = int(last) if isinstance(target, list) else last
    if delete:
        del target[key]
    else:
        target[key] = value
    return case


INVALID = [
    (broken("matter", "part3"), "matter"),
    (broken("matter", delete=True), "matter"),
    (broken("variations", []), "variations"),
    (broken("variations", ["proposal", "proposal"]), "variations[1]"),
    (broken("variations", ["proposal", "reject"]), "variations[1]"),
    (broken("categories", delete=True), "categories"),
    (broken("categories", {}), "categories"),
    (broken("categories.0.category", "GENERATOR"), "categories[0].category"),
    (broken("categories.0.eligible", "yes"), "categories[0].eligible"),
    (broken("categories.0.groups", delete=True), "categories[0].groups"),
    (broken("categories.0.groups.1.n", -1), "categories[0].groups[1].n"),
    (broken("categories.0.groups.1.n", 1.5), "categories[0].groups[1].n"),
    (broken("categories.0.groups.1.n", 2.0), "categories[0].groups[1].n"),
    (broken("categories.0.groups.1.n", "7"), "categories[0].groups[1].n"),
    (broken("categories.0.groups.1.n", True), "categories[0].groups[1].n"),
    (broken("categories.0.groups.1.n", None), "categories[0].groups[1].n"),
    (broken("categories.0.groups.2.n", delete=True), "categories[0].groups[2].n"),
    (broken("categories.0.groups.2.vote", delete=True), "categories[0].groups[2].vote"),
    (broken("categories.0.groups.2.vote", "B"), "categories[0].groups[2].vote"),
    (broken("categories.0.groups.2.vote", "accept"), "categories[0].groups[2].vote"),
    (broken("categories.0.groups.2.vote", True), "categories[0].groups[2].vote"),
    (broken("categories.0.groups.2.group", "G1"), "categories[0].groups[2].group"),
    (broken("categories.0.groups.2", "G3"), "categories[0].groups[2]"),
    ({**valid_case(), "categories": CONTRACT_CASE["categories"] * 2}, "categories[1].category"),
]


@pytest.mark.parametrize(("case", "field"), INVALID, ids=[f for _, f in INVALID])
def test_invalid_input_names_the_field_exits_2_and_prints_nothing(case: Any, field: str) -> None:
    done = run_cli(stdin=json.dumps(case))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"{field}: ")
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", '"part1"', '{"matter": NaN}'])
def test_input_that_is_not_a_json_object_exits_2(text: str) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    assert main([], stdin=io.StringIO(text), stdout=stdout, stderr=stderr) == 2
    assert stdout.getvalue() == ""
    assert stderr.getvalue().startswith("case: ")


def test_negative_n_message_is_the_contract_wording() -> None:
    with pytest.raises(CaseError) as raised:
        tally_case(broken("categories.0.groups.1.n", -3))
    assert str(raised.value) == "categories[0].groups[1].n: must be an integer >= 0"
    assert raised.value.field == "categories[0].groups[1].n"


def test_accept_is_a_synonym_only_when_the_ballot_has_one_label() -> None:
    case = {
        "matter": "part1",
        "categories": [
            {"category": "DNO", "groups": [group("G1", 1, "accept"), group("G2", 1, "proposal")]}
        ],
    }
    result = tally_case(case)
    assert result["categories"][0]["options"]["proposal"]["accept_groups"] == 2
    case["variations"] = ["X"]
    case["categories"][0]["groups"][1]["vote"] = "X"
    assert tally_case(case)["selected_option"] == "X"


def test_unknown_keys_are_ignored() -> None:
    case = valid_case()
    case["note"] = "from the 2024 ballot"
    case["categories"][0]["id"] = 7
    case["categories"][0]["groups"][0]["party"] = "Example DNO plc"
    assert tally_case(case) == CONTRACT_RESULT


def test_non_eligible_category_is_listed_without_weights() -> None:
    case = valid_case()
    case["categories"][0]["eligible"] = False
    result = tally_case(case)
    assert result["categories"] == [
        {
            "category": "DNO",
            "eligible": False,
            "counted": False,
            "groups_total": 3,
            "groups_voted": 2,
        }
    ]
    assert result["counted_categories"] == []
    assert result["outcome"] == "recommend_reject"


def test_empty_category_list_rejects() -> None:
    result = tally_case({"matter": "part2", "categories": []})
    assert (result["outcome"], result["selected_option"], result["deemed_part1"]) == (
        "rejected",
        None,
        False,
    )
    assert result["options"] == {
        "proposal": {"categories_passed": 0, "categories_counted": 0, "passes": False}
    }


def test_weighted_category_in_the_result() -> None:
    # N = 45, 15, 10, 10, 10, 10: WV = 20%, 20%, 15% x 4; G1, G3, G4 accept: 50% -> fails Part 1.
    case = {
        "matter": "part1",
        "categories": [
            {
                "category": "CVA",
                "groups": [
                    group(f"G{i + 1}", n, v)
                    for i, (n, v) in enumerate(
                        zip(
                            [45, 15, 10, 10, 10, 10],
                            ["accept", "reject", "accept", "accept", "reject", None],
                            strict=True,
                        )
                    )
                ],
            }
        ],
    }
    cat = tally_case(case)["categories"][0]
    assert cat["method"] == "equal"  # only five voted (12.9.4)
    case["categories"][0]["groups"][5]["vote"] = "reject"
    cat = tally_case(case)["categories"][0]
    assert cat["method"] == "weighted"
    assert cat["weights"] == {
        "G1": "20.000000",
        "G2": "20.000000",
        "G3": "15.000000",
        "G4": "15.000000",
        "G5": "15.000000",
        "G6": "15.000000",
    }
    assert cat["options"]["proposal"] == {
        "accept_groups": 3,
        "accept_share": "50.000000",
        "accept_weight": "50.000000",
        "passes": False,
    }


def test_undefined_raises_from_tally_case() -> None:
    case = {
        "matter": "part1",
        "categories": [
            {
                "category": "DNO",
                "groups": [group(f"D{i}", 1 if i < 4 else 0, "reject") for i in range(6)],
            }
        ],
    }
    with pytest.raises(UndefinedVote, match="^DNO: "):
        tally_case(case)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(1, 3), "33.333333"),
        (Fraction(2, 3), "66.666667"),
        (Fraction(1, 8), "12.500000"),
        (Fraction(1), "100.000000"),
        (Fraction(0), "0.000000"),
        (Fraction(1, 200_000_000), "0.000000"),  # 0.0000005%: half, rounds to even 0
        (Fraction(3, 200_000_000), "0.000002"),  # 0.0000015%: half, rounds to even 2
        (Fraction(5, 200_000_000), "0.000002"),  # 0.0000025%: half, rounds to even 2
        (Fraction(13, 20), "65.000000"),
        (Fraction(12999999, 20000000), "64.999995"),
        (Fraction(-1, 3), "-33.333333"),  # an SVA is negative for a Group with a Surplus Vote
        (Fraction(-1, 300_000_000), "0.000000"),
    ],
)
def test_percent_is_six_decimals_rounded_half_even_from_the_exact_value(
    value: Fraction, text: str
) -> None:
    assert percent(value) == text
    assert percent_of(value.numerator * 7, value.denominator * 7) == text


def test_workings_are_plain_json_with_exact_fractions() -> None:
    case = {
        "matter": "part2",
        "categories": [
            {
                "category": "SUPPLIER",
                "groups": [
                    group(f"G{i + 1}", n, "accept") for i, n in enumerate([45, 15, 10, 10, 10, 10])
                ],
            }
        ],
    }
    workings = to_dict(explain(decide_case(case)))
    json.dumps(workings)  # JSON-able
    g1 = workings["categories"][0]["groups"][0]
    assert g1["basic_vote"] == {"exact": "9/20", "percent": "45.000000"}
    assert g1["adjustment"] == {"exact": "-1/4", "percent": "-25.000000"}
    assert workings["categories"][0]["rounds"][1]["excess"]["exact"] == "1/55"
