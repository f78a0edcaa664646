"""The import contracts that `lint-imports` checks in scripts/test.sh, and the cycle finder
behind the "no cycles between modules" contract."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

from .cycles import module_cycles

ROOT = Path(__file__).resolve().parents[2]


def _contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {c["type"]: c for c in config["contracts"]}


def test_the_apps_are_layered_dcusa_voting_changes_panel() -> None:
    assert _contracts()["layers"]["layers"] == ["dcusa", "voting", "changes", "panel"]


def test_the_law_modules_may_not_import_django_drf_or_celery() -> None:
    forbidden = _contracts()["forbidden"]
    assert {"django", "rest_framework", "celery"} <= set(forbidden["forbidden_modules"])  # type: ignore[arg-type]
    assert {
        "voting.weighting",
        "voting.decision",
        "voting.workings",
        "voting.tally",
        "voting.election_rules",
        "panel.calendar",
        "panel.panel_rules",
    } <= set(forbidden["source_modules"])  # type: ignore[arg-type]
    assert "allow_indirect_imports" not in forbidden


def test_every_app_is_checked_for_cycles() -> None:
    assert set(_contracts()["acyclic_modules"]["containers"]) == {  # type: ignore[arg-type]
        "dcusa",
        "voting",
        "changes",
        "panel",
    }


def test_the_test_command_runs_lint_imports_and_fails_on_a_broken_contract() -> None:
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert ".venv/bin/lint-imports" in script
    assert "set -Eeuo pipefail" in script
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("exec scripts/test.sh")


def test_the_tree_keeps_every_import_contract() -> None:
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "0 broken" in result.stdout, result.stdout[-4000:] + result.stderr[-2000:]
    assert result.returncode == 0


# -- the cycle finder, on small packages written for the test ---------------------------------


@pytest.fixture
def package(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "toy"
    root.mkdir()
    (root / "__init__.py").write_text("")
    sys.path.insert(0, str(tmp_path))
    yield root
    sys.path.remove(str(tmp_path))
    for name in [m for m in sys.modules if m == "toy" or m.startswith("toy.")]:
        del sys.modules[name]


def _write(root: Path, **modules: str) -> grimp.ImportGraph:
    for name, text in modules.items():
        path = root / (name.replace(".", "/") + ".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return grimp.build_graph("toy", cache_dir=None)


def test_an_import_inside_a_function_that_closes_a_loop_is_a_cycle(package: Path) -> None:
    graph = _write(
        package,
        services="from .tasks import notify\n",
        tasks="""
            def notify():
                from .services import act  # dodges the cycle at import time

                return act
            """,
    )
    [cycle] = module_cycles(graph, ["toy"])
    assert cycle.modules == {"toy.services", "toy.tasks"}
    assert [(link.importer, link.imported) for link in cycle.path] == [
        ("toy.services", "toy.tasks"),
        ("toy.tasks", "toy.services"),
    ]
    assert cycle.path[1].line == 3
    assert "from .services import act" in cycle.path[1].text


def test_a_loop_through_a_package_that_re_exports_is_found(package: Path) -> None:
    graph = _write(
        package,
        **{
            "models.__init__": "from .proposals import Proposal as Proposal\n",
            "models.proposals": "from toy.states import State\n",
            "states": "from toy.models import Proposal\n",
        },
    )
    [cycle] = module_cycles(graph, ["toy"])
    assert cycle.modules == {"toy.models", "toy.models.proposals", "toy.states"}
    assert len(cycle.path) == 3


def test_one_way_imports_are_not_a_cycle(package: Path) -> None:
    graph = _write(
        package,
        law="import fractions\n",
        services="from .law import x\n",
        views="from .services import y\nfrom . import law\n",
    )
    assert module_cycles(graph, ["toy"]) == []
