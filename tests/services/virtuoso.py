"""A throwaway Virtuoso (Debian's virtuoso-opensource-7-bin) on loopback, for tests, CI and bench.

Each instance has its own database directory, ports picked free on 127.0.0.1, and passwords made
up for the run; it never touches the system service or /var/lib/virtuoso-opensource-7. The
Graph Store Protocol needs three things from Virtuoso: the authenticated endpoint
``/sparql-graph-crud-auth`` (the open ``/sparql-graph-crud`` answers 403 to writes), HTTP digest
authentication (basic is refused with 401) and a user holding the ``SPARQL_UPDATE`` role. A PUT
then replaces the named graph (201 when new, 200 when replaced).

No query time limit is configured on purpose: Virtuoso's ``MaxQueryExecutionTime`` turns a slow
query into an "anytime" answer, partial rows with status 200, which a test would take for a wrong
answer. Clients set their own time limits.

Run ``python -m tests.services.virtuoso`` to start one by hand: it prints the endpoint and the
credentials as environment lines and runs until interrupted.
"""

from __future__ import annotations

import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

SERVER = "virtuoso-t"
SQL_CLIENT = "isql-vt"
DEBIAN_PACKAGE = "virtuoso-opensource-7-bin"
# A new database has this administrator password until it is changed.
_FIRST_DBA_PASSWORD = "dba"
PUBLISHER = "trustkg"
#: How long Virtuoso keeps an idle connection open for the next request.
KEEP_ALIVE_SECONDS = 3


class VirtuosoError(RuntimeError):
    """Virtuoso is missing, did not start, or refused its set-up."""


@dataclass(frozen=True)
class Virtuoso:
    """A running instance: where to query, where to write graphs, and who may write."""

    sparql_url: str
    graph_store_url: str
    user: str
    password: str
    startup_seconds: float

    def environment(self) -> dict[str, str]:
        """The credentials as a publishing client reads them: from the environment, never the command line."""
        return {"TRUSTKG_ENDPOINT_USER": self.user, "TRUSTKG_ENDPOINT_PASSWORD": self.password}


def installed() -> bool:
    return shutil.which(SERVER) is not None and shutil.which(SQL_CLIENT) is not None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _configuration(directory: Path, sql_port: int, http_port: int) -> str:
    return f"""\
[Database]
DatabaseFile = {directory}/virtuoso.db
ErrorLogFile = {directory}/virtuoso.log
LockFile = {directory}/virtuoso.lck
TransactionFile = {directory}/virtuoso.trx
xa_persistent_file = {directory}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {directory}/virtuoso-temp.db
TransactionFile = {directory}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
; no /tmp/virt-<port> socket shared with other instances
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = {directory}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {directory}
ServerThreads = 10
; an idle kept-alive connection is closed after {KEEP_ALIVE_SECONDS} s (Virtuoso's default: 10), so a test sees it happen
KeepAliveTimeout = {KEEP_ALIVE_SECONDS}

[SPARQL]
ResultSetMaxRows = 1000000
MaxSortedTopRows = 1000000
"""


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _run_sql(sql_port: int, password: str, statements: str) -> None:
    # Statements go on standard input so the new passwords never appear in a process list.
    done = subprocess.run(
        [SQL_CLIENT, f"127.0.0.1:{sql_port}", "dba", password],
        input=statements,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise VirtuosoError(f"Virtuoso refused its set-up:\n{done.stdout}\n{done.stderr}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    # SIGTERM is Virtuoso's quick shutdown (about 2 s); the database is thrown away anyway.
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextmanager
def running_virtuoso(directory: Path, startup_timeout: float = 180.0) -> Iterator[Virtuoso]:
    """Start Virtuoso with its database in ``directory`` (empty or new), yield it ready, stop it after."""
    if not installed():
        raise VirtuosoError(f"{SERVER} is not installed (Debian package {DEBIAN_PACKAGE})")
    directory.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = _free_port(), _free_port()
    configuration = directory / "virtuoso.ini"
    configuration.write_text(_configuration(directory, sql_port, http_port), encoding="utf-8")
    base = f"http://127.0.0.1:{http_port}"
    probe = f"{base}/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
    started = time.monotonic()
    with (directory / "server.out").open("wb") as log:
        server = subprocess.Popen(
            [SERVER, "-f", "-c", str(configuration)], cwd=directory, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        while not _answers(probe):
            if server.poll() is not None or time.monotonic() - started > startup_timeout:
                error_log = directory / "virtuoso.log"
                detail = error_log.read_text(errors="replace")[-2000:] if error_log.exists() else ""
                raise VirtuosoError(f"Virtuoso did not answer on {base} (exit status {server.poll()}):\n{detail}")
            time.sleep(0.25)
        startup_seconds = time.monotonic() - started
        dba_password, password = secrets.token_urlsafe(18), secrets.token_urlsafe(18)
        _run_sql(
            sql_port,
            _FIRST_DBA_PASSWORD,
            f"DB.DBA.USER_CREATE('{PUBLISHER}', '{password}');\n"
            f'GRANT SPARQL_UPDATE TO "{PUBLISHER}";\n'
            f"user_set_password('dba', '{dba_password}');\n",
        )
        yield Virtuoso(f"{base}/sparql", f"{base}/sparql-graph-crud-auth", PUBLISHER, password, startup_seconds)
    finally:
        _stop(server)


def main() -> int:
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="trustkg-virtuoso-")))
        instance = stack.enter_context(running_virtuoso(directory))
        print(f"# ready in {instance.startup_seconds:.1f} s; Ctrl-C stops it and deletes {directory}")
        print(f"export TRUSTKG_ENDPOINT={instance.sparql_url}")
        print(f"export TRUSTKG_GRAPH_STORE={instance.graph_store_url}")
        for name, value in instance.environment().items():
            print(f"export {name}={value}")
        sys.stdout.flush()
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    return 0


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    sys.exit(main())
