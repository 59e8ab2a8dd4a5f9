"""Python's cycle collector paused while a large base is read and built.

Reading case files and building triples allocate millions of small objects
(YAML nodes, records, quads) that stay alive until the work ends and hold no
reference cycles. The collector still walks them every few thousand
allocations: at 400 synthetic trusts that was 40% of reading the case files.
Pausing it for those steps does not change what is kept; whatever cycles
they leave are collected once it runs again.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pause:
    """How many blocks are inside :func:`collector_paused` now, and whether the collector ran before the first."""

    lock = threading.Lock()
    depth = 0
    was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector inside the block (blocks may nest, in any thread); restore it after the last."""
    with _Pause.lock:
        if _Pause.depth == 0:
            _Pause.was_enabled = gc.isenabled()
            gc.disable()
        _Pause.depth += 1
    try:
        yield
    finally:
        with _Pause.lock:
            _Pause.depth -= 1
            if _Pause.depth == 0 and _Pause.was_enabled:
                gc.enable()
