"""Entry point of the frozen SafeDuty (PyInstaller): the same as the ``safeduty`` console script.

No arguments open the GUI; ``safeduty [--db URL] AREA VERB …`` runs the command line.
"""

import os
import sys


def _give_streams_a_sink() -> None:
    # A windowed Windows build (console=False) starts with sys.stdout and sys.stderr set to None;
    # the command line and some libraries write to them, so point them at the null device rather
    # than fail.  The console build (safeduty-cli.exe) and Linux keep their real streams.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    _give_streams_a_sink()
    from app.cli import main

    sys.exit(main())
