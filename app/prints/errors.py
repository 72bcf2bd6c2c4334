"""Print failures the user can act on, importable without loading reportlab."""

from __future__ import annotations

import os
from pathlib import Path


class FontError(Exception):
    """A font file that cannot be used for PDF output; the message is translated for the user."""

    def __init__(self, path: str | os.PathLike[str], message: str):
        self.path = Path(path)
        super().__init__(message)
