import streamlit as st

from ui.shell import ensure_navigation

ensure_navigation()

st.title("Watch a small neural network learn")
st.markdown(
    """
nnviz shows what happens **inside** each iteration of training: every dot product, every
sigmoid, every error and every weight update, with the real numbers.
"""
)
left, right = st.columns(2)
with left:
    st.subheader("🔬 The 11-line network")
    st.markdown(
        """
Andrew Trask's famous numpy example: 3 inputs, one sigmoid output, four rows of 0s and 1s.
Train it 100,000 times, watch the error fall and the weights grow, and step through any
iteration. With the default settings you see exactly the numbers of the classic
hand-worked article: iterations #0 and #1, the error after 10,000 and 100,000 iterations,
the final weights.
"""
    )
    st.page_link("pages/walkthrough.py", label="Open the 11-line network", icon="🔬")
with right:
    st.subheader("🎓 Will they pass?")
    st.markdown(
        """
Grades for class assignments, written tests and oral tests predict passing the final exam
with a 3-2-1 network, cross-entropy and gradient descent. Start on a sample class or
upload your own CSV, see which grade the network thinks matters most, and predict this
year's students.
"""
    )
    st.page_link("pages/grades.py", label="Open the grades network", icon="🎓")
st.divider()
st.caption(
    "Every page keeps its settings in the address bar: copy the link to share exactly what you see. "
    "Uploaded files stay in your own session and never travel in a link."
)
