"""SafeDuty's Qt face: main window, pages, table models, dialogs, background tasks, printing.

Imports app/, never the reverse.
"""
