"""nnviz: a small neural network, trained and shown with every number.

Three layers, each a package that may import only those before it (tests/test_layers.py):
``engine`` (the network and its training), ``gradebook`` (teachers' files and the findings),
``views`` (figures and their words); and apart from them ``classroom`` (a live class's
store, which knows nothing of runs or gradebooks).  Beside them: ``datasets`` (the article's rows, XOR,
the sample class), ``settings`` (every limit, one table), ``numbers`` (how numbers are
written) and ``cli`` (``python -m nnviz``).  Nothing here imports Streamlit.
"""
