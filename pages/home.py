import streamlit as st

from ui.shell import ensure_navigation

ensure_navigation()

st.title("Watch a small neural network learn")
st.markdown(
    """
nnviz shows what happens **inside** each iteration of training: every dot product, every
sigmoid, every error and every weight update, with the real numbers.

**🔬 The 11-line network** — Andrew Trask's famous numpy example: 3 inputs, one sigmoid
output, four rows of 0s and 1s. Train it 100,000 times and step through any iteration;
with the default settings you see exactly the numbers of the classic hand-worked article
(iteration #0 and #1, the error after 10,000 and 100,000 iterations, the final weights).

Every page keeps its settings in the address bar: copy the link to share exactly what you see.
"""
)
st.page_link("pages/walkthrough.py", label="Open the 11-line network", icon="🔬")
