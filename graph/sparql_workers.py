"""A time limit on queries: each runs in a worker process that is killed when its time is up.

Neither engine can stop a query: pyoxigraph's ``Store.query`` has no timeout or cancel, rdflib's
evaluator none either, and a Python thread cannot be killed. So a query runs in a separate process
that holds the graph; past its limit the process is killed (SIGKILL) and a fresh one takes its place.

Workers are forked, so each starts with the graph already in memory (shared copy-on-write, nothing
re-read). Forking a process that runs threads (a web server's, a store's) risks a child that inherits
a lock some other thread held. So the workers are not forked from the caller but from a *spawner*: one
process forked once, when the pool is made (before any server thread starts), that does nothing but
fork a new worker when asked and hand the caller one end of a socket to it (SCM_RIGHTS).

A task is a picklable callable taking the graph (a module-level function, or a ``functools.partial``
of one); what it returns, or the :class:`~trustkg.errors.TrustKGError` it raises, comes back.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from rdflib import Graph

from trustkg.errors import QueryError, QueryTimeoutError, TrustKGError

T = TypeVar("T")
Task = Callable[[Graph], T]


def _serve_tasks(graph: Graph, connection: Connection) -> None:
    """A worker's life: run each task sent on ``connection`` and send back its result or its error."""
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[bool, Any] = (True, task(graph))
        except TrustKGError as error:
            reply = (False, error)
        except Exception as error:  # an engine's own error types: one message, never a traceback
            reply = (False, QueryError(f"the query failed: {error}"))
        connection.send(reply)


def _spawn_forever(graph: Graph, control: socket.socket) -> None:
    """The spawner's life: for each byte read, fork a worker and pass back (its pid, its socket)."""
    # Workers are the spawner's children; ignoring SIGCHLD has the kernel reap the killed ones.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    while control.recv(1):
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            control.close()
            ours.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            _serve_tasks(graph, Connection(theirs.detach()))
            os._exit(0)
        # The caller gets our end; the spawner keeps neither.
        socket.send_fds(control, [pid.to_bytes(8, "little")], [ours.fileno()])
        theirs.close()
        ours.close()


class _Worker:
    def __init__(self, pid: int, connection: Connection) -> None:
        self.pid = pid
        self.connection = connection

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.connection.close()


class QueryWorkers:
    """``size`` worker processes holding ``graph``; :meth:`run` gives a task to an idle one, within a time limit.

    Make it before starting threads; :meth:`close` (or ``with``) ends every process it started.
    Callers in several threads share the workers: a call waits for an idle worker (within its
    time limit), so at most ``size`` queries run at once.
    """

    def __init__(self, graph: Graph, size: int = 1) -> None:
        if size < 1:
            raise TrustKGError(f"the query workers need at least one process, not {size}")
        self._control, spawner_end = socket.socketpair()
        self._spawner = os.fork()
        if self._spawner == 0:
            self._control.close()
            try:
                _spawn_forever(graph, spawner_end)
            finally:
                os._exit(0)
        spawner_end.close()
        self._lock = threading.Lock()  # one request to the spawner at a time
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        for _ in range(size):
            self._idle.put(self._new_worker())

    def _new_worker(self) -> _Worker:
        with self._lock:
            self._control.send(b"w")
            message, fds, _flags, _address = socket.recv_fds(self._control, 8, 1)
        if len(fds) != 1:
            raise TrustKGError("the query worker could not be started")
        worker = _Worker(int.from_bytes(message, "little"), Connection(fds[0]))
        self._workers.add(worker)
        return worker

    def run(self, task: Task[T], timeout: float | None, wait: float | None = None) -> T:
        """Run ``task`` in a worker; past ``timeout`` seconds of running raise :class:`QueryTimeoutError`.

        A call waits at most ``wait`` seconds (default: ``timeout``) for an idle worker, then raises the same.
        """
        limit = "no limit" if timeout is None else f"{timeout:g} s"
        try:
            worker = self._idle.get(timeout=timeout if wait is None else wait)
        except queue.Empty:
            raise QueryTimeoutError("every query worker stayed busy: try again later") from None
        try:
            worker.connection.send(task)
            if not worker.connection.poll(timeout):
                self._replace(worker)
                raise QueryTimeoutError(f"the query ran past its time limit ({limit}) and was stopped")
            done, value = worker.connection.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise QueryError("the query worker stopped unexpectedly (out of memory?)") from None
        self._idle.put(worker)
        if not done:
            raise value
        result: T = value
        return result

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._workers.discard(worker)
        self._idle.put(self._new_worker())

    def close(self) -> None:
        for worker in list(self._workers):
            worker.kill()
        self._workers.clear()
        self._control.close()  # the spawner reads end of file and leaves
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._spawner, 0)

    def __enter__(self) -> QueryWorkers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
