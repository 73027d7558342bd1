"""The import contracts of pyproject.toml ([tool.importlinter]; docs/architecture.md, "Layers and imports"): the core
knows no program, the programs do not import one another (but for CBCF's figures), views and API import no guardian,
no app's modules import one another in a circle, and inside each app the imports go one way. lint-imports checks
them; these tests run it."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "partnerships", "deconfliction", "webhooks", "shiprider", "ibet", "best", "cbcf")
PROGRAMS = ("shiprider", "ibet", "best", "cbcf")


def lint_imports(cwd):
    """lint-imports run in `cwd` (which holds pyproject.toml and the packages): (exit code, report)."""
    command = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(command), "--no-cache", "--no-logo"], cwd=cwd, capture_output=True, text=True,
                            timeout=120, check=False)
    return result.returncode, result.stdout + result.stderr


def test_the_import_contracts_are_kept():
    code, report = lint_imports(ROOT)
    assert code == 0, report
    assert "Contracts: 6 kept, 0 broken." in report


def test_planted_imports_break_the_contracts(tmp_path):
    """A copy of the code (the tree is left as it is) with one forbidden import planted per contract."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "partnerships" / "planted.py").write_text("import shiprider.models  # noqa\n")
    (tmp_path / "ibet" / "planted.py").write_text("from best import selectors  # noqa\n")
    with (tmp_path / "shiprider" / "views.py").open("a") as views:
        views.write("\nfrom guardian.shortcuts import get_objects_for_user  # noqa\n")
    with (tmp_path / "partnerships" / "models.py").open("a") as models:
        models.write("\nfrom partnerships import access  # noqa\n")
    with (tmp_path / "best" / "selectors.py").open("a") as selectors:
        selectors.write("\nfrom best import pdf  # noqa\n")  # best.pdf imports best.selectors: a cycle

    code, report = lint_imports(tmp_path)

    assert code != 0
    assert "Contracts: 1 kept, 5 broken." in report, report
    assert "partnerships.planted -> shiprider.models" in report
    assert "ibet.planted -> best.selectors" in report
    assert "shiprider.views -> guardian (l." in report
    assert "partnerships.models -> partnerships.access" in report
    assert "No cycles are allowed in best." in report
    assert not (ROOT / "partnerships" / "planted.py").exists()


def _program_names_used(path):
    """In one module: {(module of another program, name taken from it)}; "*" for a whole module imported."""
    tree = ast.parse(path.read_text(), filename=str(path))
    others = set(PROGRAMS) - {"cbcf"}
    selectors = {f"{program}.selectors" for program in others}
    aliases, used = {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in others:
            for name in node.names:
                if f"{node.module}.{name.name}" in selectors:  # from best import selectors as best
                    aliases[name.asname or name.name] = f"{node.module}.{name.name}"
                else:  # from best.selectors import period_figures
                    used.add((node.module, name.name))
        elif isinstance(node, ast.Import):
            used |= {(name.name, "*") for name in node.names if name.name.split(".")[0] in others}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            used.add((aliases[node.value.id], node.attr))
    return used


def test_cbcf_takes_nothing_from_the_programs_but_their_period_figures():
    """The one allowed arrow between programs (pyproject.toml: cbcf.briefing -> <program>.selectors) carries one
    function of each program: the figures it offers for the briefing book."""
    used = set()
    for path in (ROOT / "cbcf").rglob("*.py"):
        if "tests" not in path.relative_to(ROOT).parts:
            used |= _program_names_used(path)
    assert used == {(f"{program}.selectors", "period_figures") for program in ("shiprider", "ibet", "best")}
