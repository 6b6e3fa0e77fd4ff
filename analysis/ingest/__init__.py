"""Spreadsheets in: read, detect, parse and validate; nothing here writes to the store."""
