"""Class codes a class can read off a projector, teacher keys nobody can guess, and nicknames.

A class code is six characters from an alphabet without look-alikes (no 0/O, 1/l/I, 2/Z,
5/S, 8/B), shown in two halves (``K7Q-2XM``) and read back whatever the case, spaces or
dashes.  The teacher's key is a secret of 32 random bytes; it is compared in constant time.
"""

from __future__ import annotations

import hmac
import random
import re
import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # 25 characters that no font or voice confuses
CODE_LENGTH = 6  # 25⁶ ≈ 244 million codes: a guessed code is a one-in-a-million chance at 200 classes
_NOT_CODE = re.compile(r"[\s\-_.]")

ADJECTIVES = (
    "Curious", "Brave", "Calm", "Clever", "Eager", "Gentle", "Happy", "Keen", "Lively", "Lucky", "Merry", "Nimble",
    "Patient", "Quick", "Quiet", "Sharp", "Steady", "Sunny", "Swift", "Thoughtful", "Witty", "Bold", "Bright", "Kind",
)  # fmt: skip
ANIMALS = (
    "Otter", "Badger", "Falcon", "Heron", "Lynx", "Marten", "Owl", "Panda", "Puffin", "Raven", "Seal", "Sparrow",
    "Tiger", "Turtle", "Wolf", "Wren", "Beaver", "Crane", "Dolphin", "Fox", "Gecko", "Koala", "Lemur", "Moose",
)  # fmt: skip


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(text: str) -> str | None:
    """The code in ``text`` (``k7q-2xm``, ``K7Q 2XM``), or None when it cannot be one."""
    code = _NOT_CODE.sub("", str(text)).upper()
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def shown(code: str) -> str:
    """The code as the projector shows it: ``K7Q-2XM``."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def new_secret() -> str:
    """A teacher's key or a student's token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def same_secret(given: str | None, stored: str) -> bool:
    """Constant-time comparison, so a guessed key learns nothing from how long the answer took."""
    return given is not None and hmac.compare_digest(str(given).encode(), stored.encode())


def nickname(taken: set[str], rng: random.Random | None = None) -> str:
    """A friendly name not yet taken in the class ("Curious Otter"), from the word lists only."""
    rng = rng or random.SystemRandom()
    for _ in range(50):
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(ANIMALS)}"
        if name not in taken:
            return name
    number = 2
    while f"{name} {number}" in taken:
        number += 1
    return f"{name} {number}"
