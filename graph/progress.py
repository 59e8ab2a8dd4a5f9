"""Progress of long work (loading, building, writing, checking), reported to whoever asked for it.

The library never prints: long steps call :func:`report` and the caller decides
what to show. The command line shows bars on a terminal; the benchmarks time
the steps; by default nothing listens. The listener is held in a context
variable, so a loader registered as ``Path -> Records`` reports without every
signature in between carrying a callback.

A step is named in words (``"read case files"``); ``done`` counts up to
``total`` (None when the total is not known), and a step ends with
``done == total``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: ``listener(step, done, total)``: called as a step starts, as it advances and when it ends.
Listener = Callable[[str, int, int | None], None]

_listener: ContextVar[Listener | None] = ContextVar("trustkg_progress", default=None)


def report(step: str, done: int, total: int | None = None) -> None:
    """Tell the listener, if any, how far ``step`` has got."""
    listener = _listener.get()
    if listener is not None:
        listener(step, done, total)


@contextmanager
def reporting(listener: Listener | None) -> Iterator[None]:
    """Send every :func:`report` made inside the block to ``listener`` (None: to nobody)."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
