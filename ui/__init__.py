"""Streamlit glue shared by the pages: settings in the URL, runs that stream, trace tables.

The engine (``nnviz``) never imports Streamlit; this package is where the two meet.
"""
