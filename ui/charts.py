"""A chart and its words: every chart goes out with a text alternative for screen readers
(Streamlit's ``alt``) and the same sentences shown under it, from ``nnviz.describe``."""

from __future__ import annotations

import streamlit as st

from ui.text import plain


def show(figure, key: str, words: str, config: dict | None = None) -> None:
    st.plotly_chart(figure, key=key, alt=words, config=config or {})
    st.caption(f"**In words:** {plain(words)}")
