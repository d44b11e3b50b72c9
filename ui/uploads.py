"""An uploaded file that stays for the session, until the teacher removes it.

Streamlit's file uploader forgets its file as soon as its page is left (like every widget),
so a teacher who looked at another page came back to the bundled sample.  The file's name
and bytes are kept in the session instead (never on disk, never shared with another
visitor), and the page shows which file it is using, with a button to remove it.
"""

from __future__ import annotations

import streamlit as st

from ui.language import _
from ui.shared import forget_private
from ui.text import plain


def kept_upload(key: str, label: str, what: str, help: str = "") -> tuple[str, bytes] | None:
    """The file uploaded under ``key`` (its name and bytes), kept until removed; None when none.
    ``what`` names the file in the line that replaces the uploader ("Last years' grades")."""
    kept = f"{key}.kept"

    def remember() -> None:
        file = st.session_state.get(key)
        if file is not None:
            st.session_state[kept] = (file.name, file.getvalue())

    def remove() -> None:
        st.session_state.pop(kept, None)
        forget_private()  # the tables, runs and charts made from it go with it

    if kept not in st.session_state:
        st.file_uploader(label, type=["csv", "txt", "tsv"], help=help, key=key, on_change=remember)
        return None
    name, data = st.session_state[kept]
    left, right = st.columns([4, 1], vertical_alignment="center")
    size = f"{-(-len(data) // 1024)} KB"  # whole KB, no decimal mark to disagree with the file's
    left.markdown(
        _(
            "{what}: using **{name}** ({size}), kept for this session until you remove it.",
            what=what,
            name=plain(name),
            size=size,
        )
    )
    right.button(
        _("Remove this file"), key=f"{key}.remove", on_click=remove, help=_("Forget {name} and go back", name=name)
    )
    return name, data
