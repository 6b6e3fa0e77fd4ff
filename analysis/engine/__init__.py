"""Numbers: task states, rules, index, dossiers, summaries; pure functions of frames."""
