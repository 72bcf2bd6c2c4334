"""Python's cycle collector, run only on the GUI thread.

The collector runs in whichever thread happens to allocate when a threshold is crossed.  If
that is a worker thread and the garbage holds Qt objects (a closed dialog caught in a
reference cycle), their C++ destructors run off the GUI thread and the program crashes.  So
automatic collection is switched off and a GUI-thread timer collects instead, generation by
generation, as the interpreter would.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start(interval_ms)

    def collect_if_due(self) -> None:
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return
