"""A live class: the teacher's class, its students, their answers and the teacher's state.

``codes`` (class codes, teacher keys and nicknames), ``store`` (the interface every backend
keeps, and what flows through it) and ``sqlite`` (the default backend: one file in WAL mode,
shared by every worker on one machine).  Pure Python: it may import ``settings``; never the
engine's numbers, a gradebook, a view or Streamlit.  Nothing of an uploaded gradebook is
ever stored here: a class holds nicknames, the teacher's page and the answers to prompts.
"""
