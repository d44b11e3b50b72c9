"""The grades page's four sections, one module each, so the page reads as its outline.

``book`` (section 1: the teacher's file, how it is read and what counts as passing),
``training`` (section 2: the run, its loss and the animation), ``learned`` (section 3: what
holds up across runs, beside guessing and a plain baseline) and ``this_year`` (section 4:
predictions for new students).  What flows between them is a ``book.Book`` (the file as read,
with how the page names students and writes numbers), the ``Intake`` and a
``training.Trained``.
"""
