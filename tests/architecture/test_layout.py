"""The house by concept: no module of the product over 400 lines (migrations, tests and bench
scripts apart), so that one module holds one concept a reader can take in at one sitting."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("dcusa", "voting", "changes", "panel")
MAX_LINES = 400


def _product_modules() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and "tests" not in path.parts
    )


def test_no_module_is_over_400_lines() -> None:
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in _product_modules()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}


def test_the_layout_check_sees_the_apps() -> None:
    names = {str(p.relative_to(ROOT)) for p in _product_modules()}
    assert "dcusa/settings.py" in names
    assert not any("/migrations/" in n for n in names)


LOOKUPS_BY_NAME = {"import_module", "get_model", "__import__"}


def _lookups_by_name(path: Path, root: Path = ROOT) -> list[str]:
    return [
        f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and (getattr(node.func, "attr", None) or getattr(node.func, "id", None)) in LOOKUPS_BY_NAME
    ]


def test_no_module_finds_code_by_name() -> None:
    """A hand-off between apps is an import the layering contract sees, not a lookup by name
    (importlib, apps.get_model) that would hide it."""
    assert [hit for path in _product_modules() for hit in _lookups_by_name(path)] == []


def test_the_lookup_check_sees_a_lookup(tmp_path: Path) -> None:
    module = tmp_path / "handoff.py"
    module.write_text(
        "import importlib\nfrom django.apps import apps\n"
        "def run():\n    importlib.import_module('changes.services')\n"
        "    apps.get_model('changes', 'ChangeProposal')\n"
    )
    assert len(_lookups_by_name(module, tmp_path)) == 2
