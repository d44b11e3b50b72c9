"""A class's grades: reading teachers' files and what can honestly be said about them.

``vocabulary`` (the words and shapes gradebooks use), ``reading`` (bytes → the students'
rows, every column read as grades), ``intake`` (the teacher's choices → a dataset; both
refuse in one line), ``tables`` (the grades page's tables), ``findings`` (what the trained network learned, across seeds,
beside a plain baseline, and a formula-safe CSV).  It may import the engine, ``datasets``,
``numbers`` and ``settings``; never ``views`` or Streamlit.
"""
