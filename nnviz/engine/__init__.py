"""The network and how it learns: numbers in, numbers out, nothing else.

``network`` (one line per equation), ``kernel`` (the same arithmetic compiled with numba),
``training`` (runs, streamed in chunks), ``trace`` (one iteration in full), ``gradients``
(the chain rule, nudged and checked), ``elbow`` (where the error curve bends).  It imports
numpy and numba only: nothing else of nnviz, never Streamlit.
"""
