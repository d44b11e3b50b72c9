"""Who is asking, as far as the server can tell: the client's address and the visitor's browser,
for the class store's caps (``nnviz.classroom.store.Visitor``).

The address is Streamlit's ``st.context.ip_address`` (None for a visitor on the server's own
machine), or, only when ``NNVIZ_TRUST_PROXY`` says the app sits behind a proxy of its own,
the address that proxy forwards (``X-Real-IP``, else the last ``X-Forwarded-For`` entry, the one
the proxy appended); anywhere else a forwarded header is a stranger's to invent.  The browser
is a random id kept in a cookie of this site, else this session's own.
"""

from __future__ import annotations

import secrets

import streamlit as st

from nnviz import settings
from nnviz.classroom.store import Visitor

COOKIE = "nnviz_visitor"
SESSION_ID = "visitor id"

_SET_COOKIE = """
export default function(component) {
    if (component.data) document.cookie = component.data;
}
"""
_cookie_writer = st.components.v2.component("nnviz.visitor_cookie", js=_SET_COOKIE)


def forwarded_address(headers, trusted: bool) -> str | None:
    """The proxy's word for the client's address, when the proxy is trusted; else None."""
    if not trusted:
        return None
    real = _text(headers.get("X-Real-IP"))
    if real:
        return real
    chain = [part.strip() for part in _text(headers.get("X-Forwarded-For")).split(",") if part.strip()]
    return chain[-1] if chain else None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""  # a test harness's stand-in is no value


def client_address() -> str | None:
    if settings.trust_proxy():
        forwarded = forwarded_address(st.context.headers, True)
        if forwarded:
            return forwarded
    return _text(st.context.ip_address) or None


def browser_id() -> str:
    """This browser's id: its cookie's, else one made for this session (and written to the cookie)."""
    held = _text(st.context.cookies.get(COOKIE))
    if held and len(held) <= 64:
        return held
    return st.session_state.setdefault(SESSION_ID, secrets.token_urlsafe(16))


def keep_browser_id() -> None:
    """Write this session's id to the visitor cookie when the browser has none (one day)."""
    if not _text(st.context.cookies.get(COOKIE)):
        data = f"{COOKIE}={browser_id()}; path=/; max-age=86400; samesite=strict"
        _cookie_writer(key="visitor.cookie", data=data)


def visitor() -> Visitor:
    return Visitor(address=client_address(), browser=browser_id())
