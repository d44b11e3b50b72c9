"""Find words a page shows that do not go through the catalogue.

Every Streamlit call that shows text (a title, a caption, a widget's label or help, a message)
must get it from ``_()``, ``n_()`` or a variable, never as a literal or an f-string, nor with words
glued on by ``+``, ``%`` or ``.format``: those would stay English on a German page.  Text without a letter (``Σ|y − ŷ|``, ``—``) needs no
translation.  Run by ``scripts/test.sh`` and by ``tests/test_i18n.py``; exits 1 listing each
place.  Usage: ``python scripts/check_i18n.py [paths…]``
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLACES = ("app.py", "app_pages", "ui")
# Streamlit's calls that show their first argument, and the keywords that are shown too.
SHOWN = {
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "text",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "button",
    "download_button",
    "link_button",
    "page_link",
    "form_submit_button",
    "toggle",
    "checkbox",
    "radio",
    "selectbox",
    "multiselect",
    "pills",
    "segmented_control",
    "slider",
    "select_slider",
    "number_input",
    "text_input",
    "text_area",
    "file_uploader",
    "metric",
    "expander",
    "spinner",
    "progress",
    "popover",
    "tabs",
}
SHOWN_KEYWORDS = {"label", "help", "caption", "text", "placeholder"}
LETTER = re.compile(r"[A-Za-z]{2}")


def shown_literal(node: ast.AST) -> bool:
    """A literal with words in it, or an f-string with any."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(LETTER.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(shown_literal(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, (ast.List, ast.Tuple)):  # st.tabs(["…", "…"])
        return any(shown_literal(element) for element in node.elts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # _("…") + " more words"
        return shown_literal(node.left) or shown_literal(node.right)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):  # "%d rows" % n
        return shown_literal(node.left)
    if isinstance(node, ast.IfExp):  # _("…") if x else "words"
        return shown_literal(node.body) or shown_literal(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return shown_literal(node.func.value)  # "{n} rows".format(n=n)
    return False


def problems(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SHOWN):
            continue
        first = [] if node.func.attr == "page_link" else node.args[:1]  # a page_link's first argument is its page
        shown = first + [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        for argument in shown:
            if shown_literal(argument):
                text = ast.unparse(argument)
                found.append(f"{path.relative_to(ROOT)}:{argument.lineno}: {node.func.attr}({text[:70]})")
    return found


def main(paths: list[str]) -> int:
    files = [
        p for place in (paths or PLACES) for p in sorted((ROOT / place).rglob("*.py")) if (ROOT / place).is_dir()
    ] + [ROOT / p for p in (paths or PLACES) if p.endswith(".py")]
    found = [line for path in files for line in problems(path)]
    for line in found:
        print(f"not translated: {line}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
