"""Table models and sort/filter proxies; no widgets, so tests call data() directly."""
