"""A chart and its words: every chart goes out with a text alternative for screen readers
(Streamlit's ``alt``) and the same sentences shown under it, from ``nnviz.views.describe``."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st

from nnviz.i18n import DEFAULT
from nnviz.numbers import plotly_separators, with_decimal_comma
from ui import language
from ui.keep import keep
from ui.language import _
from ui.shared import drawn
from ui.text import plain

Described = tuple[object, str]  # a figure and the sentences that say what it shows


def show(figure, key: str, words: str, config: dict | None = None) -> None:
    if language.code() != DEFAULT:  # the axes' numbers in the visitor's notation (0,5 and 10.000)
        figure.update_layout(separators=language.language().separators())
    st.plotly_chart(figure, key=key, alt=words, config=config or {})
    st.caption(_("**In words:** {words}", words=plain(words)))


def show_shared(
    what: Hashable, key: str, make: Callable[[], Described], config: dict | None = None, decimal_comma: bool = False
) -> None:
    """``show`` for a chart that is the same for everyone who asks for ``what`` (a run's
    error curve, say): built, described and drawn once per server, then replayed.
    ``decimal_comma``: its numbers as the class's file writes them (``what`` must say the file)."""
    drawn((key, what, decimal_comma), lambda: _show(make, key, config, decimal_comma))


def _show(make: Callable[[], Described], key: str, config: dict | None, decimal_comma: bool) -> None:
    figure, words = in_convention(*make(), decimal_comma)
    show(figure, key, words, config)


def in_convention(figure, words: str, decimal_comma: bool) -> Described:
    """A chart and its words with the file's decimal mark: Plotly's separators and the sentences."""
    if not decimal_comma or language.code() != DEFAULT:  # a language's own numbers are written its way already
        return figure, words
    figure.update_layout(separators=plotly_separators(True))
    return figure, with_decimal_comma(words)


def keyboard_animation(name: str, frames: list[int], what: Hashable, build: Callable[[int, bool], Described]) -> None:
    """The training animation with controls a keyboard can reach (Plotly's own slider and
    play/pause buttons cannot take focus): an iteration slider (← →) and a Play toggle
    (Space), which steps through the frames from the server, about one a second.  ``build``
    makes the animation starting at a frame (while playing: that one frame only, so each step
    sends one frame's data), and its words; ``what`` names the run."""
    frame_key, play_key = f"{name}.frame", f"{name}.play"
    playing = bool(st.session_state.get(play_key))

    @st.fragment(run_every=0.8 if playing else None)
    def section() -> None:
        if st.session_state.get(frame_key, frames[0]) not in frames:  # another run: its own frames
            st.session_state[frame_key] = frames[0]
        if bool(st.session_state.get(play_key)) != playing:
            st.rerun()  # Play was toggled: the whole page reruns to start or stop the timer
        if playing:
            i = frames.index(st.session_state.get(frame_key, frames[0]))
            if i + 1 < len(frames):
                st.session_state[frame_key] = frames[i + 1]
            else:
                st.session_state[play_key] = False
                st.rerun()
        left, right = st.columns([5, 1])
        shown = left.select_slider(
            _("Iteration shown in the animation (keyboard: ← →)"),
            options=frames,
            key=keep(frame_key),
            format_func=language.language().integer,
        )
        right.toggle(_("Play"), key=play_key, help=_("Step through the iterations; Space starts and stops it."))
        show_shared((what, int(shown), playing), f"{name}-chart", lambda: build(int(shown), playing))

    section()
