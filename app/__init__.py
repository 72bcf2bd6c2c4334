"""SafeDuty core: storage, domain services, interchange, prints and the command line.

Nothing in this package imports Qt; the GUI lives in the ``ui`` package and imports from here.
"""

__version__ = "0.1.0"
