"""The responsibility system: duties per post, who answers for which area at which level,
the responsibility matrix (分工表), and the coverage check (横向到边、纵向到底)."""
