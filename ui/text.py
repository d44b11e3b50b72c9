"""User text (column names, cells) shown inside Streamlit markdown, made inert."""

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])")


def plain(text: object) -> str:
    """Escape every character markdown or HTML would act on, so text shows as typed."""
    return _SPECIAL.sub(r"\\\1", str(text))
