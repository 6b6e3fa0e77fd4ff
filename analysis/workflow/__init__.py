"""Actions with side effects: loading, uploads, history, accounts."""
