"""The package layout is the architecture (docs/architecture.md): each layer imports only
the layers below it, Rasa only in its plug-ins and the actions, and the installed package
holds no developer tools."""

from __future__ import annotations

import ast
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[2]
# What each part of the runtime package may import of our own code.
MAY_IMPORT = {
    "mkbscan.settings": set(),
    "mkbscan.wording": {"mkbscan.settings", "mkbscan.scan"},  # facts: counts, cap
    "mkbscan.messages": set(),
    "mkbscan.reading": {"mkbscan.settings", "mkbscan.wording", "mkbscan.scan"},
    "mkbscan.scan": {"mkbscan.settings", "mkbscan.wording", "mkbscan.messages",
                     "mkbscan.reading"},
    "mkbscan.leads": {"mkbscan.settings", "mkbscan.wording", "mkbscan.messages",
                      "mkbscan.reading", "mkbscan.scan"},
    "mkbscan.dialogue": {"mkbscan.settings", "mkbscan.wording", "mkbscan.messages",
                         "mkbscan.reading", "mkbscan.scan", "mkbscan.leads"},
    "mkbscan.runtime": {"mkbscan.settings", "mkbscan.leads"},
    "mkbscan.advisor": {"mkbscan.settings", "mkbscan.wording", "mkbscan.messages",
                        "mkbscan.scan", "mkbscan.leads"},
    "mkbscan.site": {"mkbscan.settings", "mkbscan.wording", "mkbscan.messages", "mkbscan.scan",
                     "mkbscan.leads", "mkbscan.advisor"},
    "mkbscan.rasa": {"mkbscan.settings", "mkbscan.wording", "mkbscan.messages",
                     "mkbscan.reading", "mkbscan.dialogue", "mkbscan.runtime"},
}
RASA = ("rasa", "rasa_sdk", "sanic")


def imports(path: Path) -> set[str]:
    """Every module the file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def layer_of(module: str) -> str | None:
    return next((layer for layer in sorted(MAY_IMPORT, key=len, reverse=True)
                 if module == layer or module.startswith(layer + ".")), None)


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def test_each_layer_imports_only_the_layers_below_it() -> None:
    wrong = {}
    for path in sorted(p for p in (ROOT / "mkbscan").rglob("*.py") if p.parent != ROOT / "mkbscan"
                       or p.name != "__init__.py"):
        own = layer_of(module_name(path))
        assert own is not None, f"{path} is in no layer: add it to MAY_IMPORT and the docs"
        used = {layer_of(m) for m in imports(path) if m.startswith("mkbscan")} - {own, None}
        outside = {m.split(".")[0] for m in imports(path)} & {"actions", "devtools", "tests"}
        if used - MAY_IMPORT[own] or outside:
            wrong[module_name(path)] = sorted((used - MAY_IMPORT[own]) | outside)
    assert wrong == {}


def test_rasa_is_imported_only_by_its_plug_ins_and_the_actions() -> None:
    users = {module_name(path) for path in (ROOT / "mkbscan").rglob("*.py")
             if any(m.split(".")[0] in RASA for m in imports(path))}
    assert users and all(name.startswith("mkbscan.rasa.") for name in users), users


def test_the_installed_package_holds_no_developer_tools() -> None:
    packages = find_packages(str(ROOT), include=["mkbscan*"])
    assert "mkbscan.scan" in packages and "mkbscan.rasa" in packages
    assert not [p for p in packages if "devtools" in p or "bench" in p]
    assert not list((ROOT / "mkbscan").rglob("bench*.py"))


def test_the_checker_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from mkbscan.leads.store import LeadStore\n",
                     encoding="utf-8")
    assert "mkbscan.leads.store" in imports(probe)
    assert layer_of("mkbscan.leads.store") == "mkbscan.leads"


def test_test_modules_have_unique_names() -> None:
    """Test folders are no packages: two test files with one name stop pytest's collection."""
    names = [path.name for path in (ROOT / "tests").rglob("test_*.py")]
    assert sorted({name for name in names if names.count(name) > 1}) == []
