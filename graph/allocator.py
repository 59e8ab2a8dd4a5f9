"""trustkg's commands run with jemalloc as the C allocator, where the machine has it.

Oxigraph answers a query by allocating and freeing a little memory for nearly every solution it
tries, and in a process holding a large graph glibc's ``malloc`` is slow at that. At about 1M
triples (1,220 synthetic trusts, ``python -m bench queries``), ``actions-to-outcomes`` took
0.91-1.00 s with glibc's allocator and 0.74-0.79 s with jemalloc, ``search-evidence`` 0.90-0.93 s
and 0.68-0.82 s, pyoxigraph alone in both cases; glibc's own tunables (huge pages, trim and mmap
thresholds) gave at most a third of that.

A running process cannot change its allocator, so a command starts Python again, once, with
jemalloc preloaded (one interpreter start, about 25 ms, before anything is imported). The restarted
program puts the environment back as the user gave it, so the programs trustkg starts in turn (Java
for the reasoner, a browser) run as they would have. ``TRUSTKG_MALLOC=system`` keeps the system's
allocator; without jemalloc installed (Debian: ``libjemalloc2``), or off Linux, nothing changes.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

#: Set to ``system`` to keep the system's allocator.
CHOICE = "TRUSTKG_MALLOC"
#: Set by the relaunch, for the restarted program only: the user's own ``LD_PRELOAD`` (empty when none).
_USERS_PRELOAD = "TRUSTKG_USERS_LD_PRELOAD"
LIBRARY = "libjemalloc.so.2"


def jemalloc() -> Path | None:
    """Where this machine keeps jemalloc's shared library, or None."""
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    for directory in (f"/usr/lib/{multiarch}", "/usr/lib64", "/usr/lib", "/usr/local/lib"):
        path = Path(directory, LIBRARY)
        if path.is_file():
            return path
    return None


def in_use() -> str:
    """The C allocator of this process, as ``trustkg --version`` reports it: jemalloc or system."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:  # not Linux
        return "system"
    return "jemalloc" if "/libjemalloc" in maps else "system"


def relaunch_with_jemalloc() -> None:
    """Start this program again in place of this process with jemalloc preloaded, or return when that is not wanted.

    Called first thing by a program's entry point, run as a script (the ``trustkg`` command) or with
    ``python -m``; the program starts again the same way, with the same arguments. In the restarted
    program the call finds its own mark, restores the user's ``LD_PRELOAD`` and returns.
    """
    if _USERS_PRELOAD in os.environ:
        users = os.environ.pop(_USERS_PRELOAD)
        if users:
            os.environ["LD_PRELOAD"] = users
        else:
            os.environ.pop("LD_PRELOAD", None)
        return
    if sys.platform != "linux" or os.environ.get(CHOICE, "jemalloc") == "system":
        return
    library = jemalloc()
    users = os.environ.get("LD_PRELOAD", "")
    # None here, the user preloaded it already, or no interpreter to start again (Python embedded in a program).
    if library is None or LIBRARY in users or not sys.executable:
        return
    # Started with -m, a module is started with -m again: run as a file instead, its own folder and not the
    # working directory would head the import path (``python -m bench`` could no longer import ``bench``).
    module = getattr(sys.modules["__main__"], "__spec__", None)
    arguments = ["-m", module.name.removesuffix(".__main__"), *sys.argv[1:]] if module is not None else sys.argv
    environment = {**os.environ, _USERS_PRELOAD: users, "LD_PRELOAD": f"{library} {users}".rstrip()}
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(sys.executable, [sys.executable, *arguments], environment)
    except OSError:
        return  # the interpreter cannot be started again here: this process runs on, with the system's allocator
