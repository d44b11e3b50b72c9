"""A class's grades: reading teachers' files and what can honestly be said about them.

``vocabulary`` (the words and shapes gradebooks use), ``intake`` (bytes → a dataset, with
every refusal in one line), ``findings`` (what the trained network learned, across seeds,
beside a plain baseline, and a formula-safe CSV).  It may import the engine, ``datasets``,
``numbers`` and ``settings``; never ``views`` or Streamlit.
"""
