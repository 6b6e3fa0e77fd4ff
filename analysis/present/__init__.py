"""Charts and figures built from engine results; no Streamlit."""
