"""Print preview and printing of PDF documents rendered by app/."""
