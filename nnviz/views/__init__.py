"""What pages show, built without Streamlit: figures and their words.

``figures`` and ``diagram`` (Plotly figures from data), ``describe`` (the sentences under
each chart), ``prompts`` (the *Predict:* questions' answers, from the engine's numbers),
``export`` (the take-home files).  It may import the engine and ``numbers``; it sees a
gradebook's results only through the objects pages hand it, never Streamlit.
"""
