"""Reading many input files on every idle core: the caller reads too, and helper processes take what it has not.

Reading a large case base is independent work per file, and Python runs one
thread at a time, so the files are shared out in chunks between the calling
process and helper processes, one per idle core. Each helper takes chunks from the front; the
caller takes them from the back, so no core waits while there is work, and a
helper slow to start costs nothing but its own start. Results come back in
the order of the items, so messages are listed as one process would list them.

A helper is a fresh interpreter running this module (``python -m
trustkg.loaders.pool``), fed pickled chunks on its standard input. Not
multiprocessing: its ``spawn`` runs the caller's main script again in every
helper (a script without a ``__main__`` guard would build twice), and its
``fork`` copies a caller that may run threads (a progress bar's, a server's).
A helper that fails for any reason has its chunk read again by the caller,
which then reports whatever went wrong as it would alone.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import IO, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Fewer items than this are read in the calling process alone: starting a helper costs about half a second.
PARALLEL_FROM = 200
#: Items are handed out in about this many chunks per process, so that none is left alone with a long tail.
CHUNKS_PER_PROCESS = 8
#: At most this many helpers, whatever the machine: each holds its own interpreter and imports.
MAX_HELPERS = 7
#: How long a helper may take to exit once it has no more work.
_EXIT_SECONDS = 10


def idle_cores() -> int:
    """The cores this process may run on that nothing else is using, judged by the last minute's load average.

    The load counts this process too (as at least one). On a busy machine a helper gains nothing
    and costs its start and the pickling: Linux shares cores between sessions (autogroups), not
    processes, so a helper only takes a share of its caller's time.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    busy = os.getloadavg()[0] if hasattr(os, "getloadavg") else float(cores)
    return max(0, int(cores - max(busy, 1.0) + 0.5))


def read_in_chunks(
    read_chunk: Callable[[Sequence[Item]], list[Result]],
    items: Sequence[Item],
    done: Callable[[int], None] = lambda count: None,
    helpers: int | None = None,
) -> list[Result]:
    """``read_chunk`` over consecutive chunks of ``items``: every result, in the order of the items.

    ``read_chunk`` must be picklable (a module-level function, or a ``functools.partial`` of one)
    and so must what it returns. ``done(count)`` is told, in the calling thread, how many items
    are read so far. ``helpers`` is the number of helper processes (default: one per idle
    core, see :func:`idle_cores`); with none, or fewer than :data:`PARALLEL_FROM` items, everything is read here, one at a time.
    """
    helpers = min(MAX_HELPERS, idle_cores()) if helpers is None else helpers
    if helpers < 1 or len(items) < PARALLEL_FROM:
        results: list[Result] = []
        for count, item in enumerate(items, start=1):
            results += read_chunk([item])
            done(count)
        return results
    size = max(1, len(items) // ((helpers + 1) * CHUNKS_PER_PROCESS))
    chunks: _Chunks[Item, Result] = _Chunks([items[start : start + size] for start in range(0, len(items), size)])
    drivers = [threading.Thread(target=_drive_helper, args=(read_chunk, chunks), daemon=True) for _ in range(helpers)]
    for driver in drivers:
        driver.start()
    try:
        while (index := chunks.take(from_back=True)) is not None:
            done(chunks.finish(index, read_chunk(chunks.items[index])))
    except BaseException:
        chunks.drop_waiting()  # the helpers stop after the chunk they have
        raise
    for driver in drivers:
        driver.join()
    # A chunk whose helper failed is read here: its error, if it has one, is raised as it would be alone.
    for index, chunk in enumerate(chunks.items):
        if index not in chunks.results:
            chunks.finish(index, read_chunk(chunk))
    done(len(items))
    return [result for index in range(len(chunks.items)) for result in chunks.results[index]]


class _Chunks(Generic[Item, Result]):
    """The chunks, those not yet taken (taken from either end, under a lock), and the results so far."""

    def __init__(self, items: list[Sequence[Item]]) -> None:
        self.items = items
        self.waiting = deque(range(len(items)))
        self.results: dict[int, list[Result]] = {}
        self.lock = threading.Lock()
        self.items_done = 0

    def take(self, from_back: bool = False) -> int | None:
        with self.lock:
            if not self.waiting:
                return None
            return self.waiting.pop() if from_back else self.waiting.popleft()

    def drop_waiting(self) -> None:
        with self.lock:
            self.waiting.clear()

    def finish(self, index: int, results: list[Result]) -> int:
        """Keep one chunk's results; return how many items are read so far."""
        with self.lock:
            self.results[index] = results
            self.items_done += len(self.items[index])
            return self.items_done


def _drive_helper(read_chunk: Callable[[Sequence[Item]], list[Result]], chunks: _Chunks[Item, Result]) -> None:
    """Start one helper and feed it chunks from the front until none is left or it fails."""
    try:
        helper = subprocess.Popen(
            [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except OSError:
        return  # no helper here: the caller reads everything
    assert helper.stdin is not None and helper.stdout is not None
    try:
        while (index := chunks.take()) is not None:
            try:
                pickle.dump((read_chunk, chunks.items[index]), helper.stdin, pickle.HIGHEST_PROTOCOL)
                helper.stdin.flush()
                results = pickle.load(helper.stdout)
            except (OSError, EOFError, pickle.UnpicklingError):
                return  # the helper failed: its chunk is read by the caller
            chunks.finish(index, results)
    finally:
        with contextlib.suppress(OSError):
            helper.stdin.close()
        try:
            helper.wait(_EXIT_SECONDS)
        except subprocess.TimeoutExpired:
            helper.kill()
            helper.wait()


def _serve(tasks: IO[bytes], answers: IO[bytes]) -> None:
    """A helper's life: read each chunk sent and send back its results, until the caller closes the pipe."""
    while True:
        try:
            read_chunk, chunk = pickle.load(tasks)
        except EOFError:
            return
        pickle.dump(read_chunk(chunk), answers, pickle.HIGHEST_PROTOCOL)
        answers.flush()


if __name__ == "__main__":
    protocol = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed by what a chunk imports may corrupt the answers
    _serve(sys.stdin.buffer, protocol)
