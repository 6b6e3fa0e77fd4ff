"""Analysis of the administrative reform (CCHC) index: ingestion, store, metrics and charts.

Nothing in this package imports Streamlit.
"""
