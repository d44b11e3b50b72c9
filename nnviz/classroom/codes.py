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
    "Curious",
    "Brave",
    "Calm",
    "Clever",
    "Eager",
    "Gentle",
    "Happy",
    "Keen",
    "Lively",
    "Lucky",
    "Merry",
    "Nimble",
    "Patient",
    "Quick",
    "Quiet",
    "Sharp",
    "Steady",
    "Sunny",
    "Swift",
    "Thoughtful",
    "Witty",
    "Bold",
    "Bright",
    "Kind",
)
ANIMALS = (
    "Otter",
    "Badger",
    "Falcon",
    "Heron",
    "Lynx",
    "Marten",
    "Owl",
    "Panda",
    "Puffin",
    "Raven",
    "Seal",
    "Sparrow",
    "Tiger",
    "Turtle",
    "Wolf",
    "Wren",
    "Beaver",
    "Crane",
    "Dolphin",
    "Fox",
    "Gecko",
    "Koala",
    "Lemur",
    "Moose",
)


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


# The same in the app's other languages.  Every animal of a list has the same grammatical gender,
# so one adjective form fits all of them (German: masculine, the adjective before the noun and
# capitalised as in a name; French and Spanish: masculine, the adjective after the noun).  Left
# out on purpose: words that make an unkind or rude pair with some adjective or that a class
# would laugh at (German "Geier", "Esel"; French "Blaireau" = a boor, "Phoque" read aloud in
# English, "Manchot" = one-armed, "Dindon"; Spanish "Conejo" and "Pato", slang in some countries,
# "Burro"), and adjectives that turn a name into a judgement (no "slow", "odd", "big").
WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {  # language → adjectives, animals, adjective first
    "en": (ADJECTIVES, ANIMALS, True),
    "de": (
        (
            "Neugieriger",
            "Mutiger",
            "Ruhiger",
            "Kluger",
            "Eifriger",
            "Sanfter",
            "Fröhlicher",
            "Wacher",
            "Munterer",
            "Flinker",
            "Geduldiger",
            "Schneller",
            "Leiser",
            "Heiterer",
            "Wendiger",
            "Sonniger",
            "Tapferer",
            "Kühner",
            "Freundlicher",
            "Stiller",
            "Emsiger",
            "Lustiger",
            "Gewitzter",
            "Gütiger",
        ),
        (
            "Otter",
            "Dachs",
            "Falke",
            "Reiher",
            "Luchs",
            "Marder",
            "Pinguin",
            "Panda",
            "Papagei",
            "Rabe",
            "Seehund",
            "Spatz",
            "Tiger",
            "Biber",
            "Wolf",
            "Kranich",
            "Delfin",
            "Fuchs",
            "Gecko",
            "Koala",
            "Lemur",
            "Elch",
            "Igel",
            "Adler",
        ),
        True,
    ),
    "fr": (
        (
            "curieux",
            "courageux",
            "calme",
            "malin",
            "vif",
            "doux",
            "joyeux",
            "agile",
            "patient",
            "rapide",
            "tranquille",
            "futé",
            "serein",
            "radieux",
            "habile",
            "aimable",
            "audacieux",
            "brillant",
            "gentil",
            "attentif",
            "sage",
            "enjoué",
            "paisible",
            "rieur",
        ),
        (
            "Renard",
            "Loup",
            "Faucon",
            "Héron",
            "Lynx",
            "Hibou",
            "Panda",
            "Macareux",
            "Corbeau",
            "Moineau",
            "Tigre",
            "Castor",
            "Dauphin",
            "Koala",
            "Lémurien",
            "Élan",
            "Gecko",
            "Hérisson",
            "Écureuil",
            "Colibri",
            "Ours",
            "Pélican",
            "Flamant",
            "Chamois",
        ),
        False,
    ),
    "es": (
        (
            "curioso",
            "valiente",
            "tranquilo",
            "listo",
            "ágil",
            "amable",
            "alegre",
            "sereno",
            "rápido",
            "paciente",
            "astuto",
            "atento",
            "sabio",
            "feliz",
            "brillante",
            "audaz",
            "simpático",
            "risueño",
            "vivaz",
            "bondadoso",
            "tenaz",
            "sonriente",
            "despierto",
            "animado",
        ),
        (
            "Zorro",
            "Lobo",
            "Tejón",
            "Halcón",
            "Búho",
            "Lince",
            "Panda",
            "Cuervo",
            "Tigre",
            "Castor",
            "Delfín",
            "Koala",
            "Lémur",
            "Alce",
            "Gecko",
            "Pingüino",
            "Erizo",
            "Colibrí",
            "Mapache",
            "Oso",
            "Flamenco",
            "Pelícano",
            "Jaguar",
            "Puma",
        ),
        False,
    ),
}


def nickname(taken: set[str], rng: random.Random | None = None, lang: str = "en") -> str:
    """A friendly name not yet taken in the class ("Curious Otter", "Neugieriger Otter", "Renard
    curieux"), from the word lists of the visitor's language only (English for any other)."""
    rng = rng or random.SystemRandom()
    adjectives, animals, adjective_first = WORDS.get(lang, WORDS["en"])
    for _ in range(50):
        adjective, animal = rng.choice(adjectives), rng.choice(animals)
        name = f"{adjective} {animal}" if adjective_first else f"{animal} {adjective}"
        if name not in taken:
            return name
    number = 2
    while f"{name} {number}" in taken:
        number += 1
    return f"{name} {number}"
