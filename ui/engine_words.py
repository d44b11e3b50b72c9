"""The engine's own words that pages show (``nnviz/engine`` imports nothing of the app), marked
here for the catalogue; pages translate them with ``_()`` where they show them.  A test checks
that every such text of the engine is listed."""

from ui.language import N_

RULE_WORDS = (
    N_("½ Σ (y − ŷ)²"),
    N_("binary cross-entropy"),
    N_("delta = error × slope"),
    N_("delta = (ŷ − y) / m"),
    N_("The article's rule: delta = (y − ŷ) · ŷ(1 − ŷ) — the error, scaled by how steep the sigmoid is there."),
    N_("Cross-entropy: the sigmoid's slope cancels out of the chain rule, leaving delta = (ŷ − y) / m."),
)
ELBOW_WORDS = (
    N_(
        "The elbow is the iteration farthest from the straight line joining the window's first and last error, with "
        "both axes scaled to 0…1."
    ),
)
