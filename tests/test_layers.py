"""The packages are layers (nnviz/__init__.py): each imports only the layers before it, and
nothing in nnviz/ imports Streamlit."""

import ast
from pathlib import Path

import pytest

NNVIZ = Path(__file__).resolve().parents[1] / "nnviz"
TOP = {"datasets", "settings", "numbers", "i18n", "lesson"}
# What each part of nnviz may import of nnviz itself.
ALLOWED = {
    "engine": {"engine"},
    "top": {"engine", *TOP},
    "gradebook": {"engine", "gradebook", *TOP},
    "views": {"engine", "views", *TOP},
    "classroom": {"classroom", "settings", "i18n"},  # a live class's store: no numbers of a run, nothing of a gradebook
    "cli": {"engine", "gradebook", "views", "cli", *TOP},
}


def part(path: Path) -> str:
    relative = path.relative_to(NNVIZ)
    if len(relative.parts) > 1:
        return relative.parts[0]
    return "cli" if relative.stem in ("cli", "__main__") else "top"


def imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names if node.module == "nnviz"]
    return names


MODULES = sorted(p for p in NNVIZ.rglob("*.py") if p.name != "__init__.py")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(NNVIZ)))
def test_each_module_imports_only_the_layers_before_it(path):
    allowed = ALLOWED[part(path)]
    for name in imports(path):
        assert name.split(".")[0] != "streamlit", f"{path.name} imports Streamlit"
        if name.startswith("nnviz."):
            assert name.split(".")[1] in allowed, f"{path.relative_to(NNVIZ)} imports {name}"


def test_the_layers_are_there():
    assert {p.name for p in NNVIZ.iterdir() if p.is_dir() and not p.name.startswith("_")} >= {
        "engine",
        "gradebook",
        "views",
        "classroom",
        "data",
    }
    assert len(MODULES) > 15
