__version__ = "0.1.0"

from service import native as _native  # noqa: E402,F401  (picks compiled or source screening modules first)
