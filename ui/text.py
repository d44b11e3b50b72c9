"""User text (column names, cells) shown inside Streamlit markdown, made inert."""

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])")


def plain(text: object) -> str:
    """Escape every character markdown or HTML would act on, so text shows as typed."""
    return _SPECIAL.sub(r"\\\1", str(text))


_LABEL_SPECIAL = re.compile(r"([\\`*_\[\]<>#~|$])")


def label(text: object) -> str:
    """For widget labels and options: escape only what would make markdown (emphasis, links,
    images, HTML, code, maths), so ``Final exam (1204): 50`` stays as typed in the label a
    screen reader reads, while ``[x](javascript:…)`` or ``![](…)`` can never become a link or
    an image."""
    return _LABEL_SPECIAL.sub(r"\\\1", str(text))
