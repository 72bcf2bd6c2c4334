"""Countable duties ("每季度至少召开1次") and, for any day, who has met them and who is behind."""
