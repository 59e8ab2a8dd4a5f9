"""The trustkg command runs with jemalloc where the machine has it, and otherwise as it would have.

Each test starts a real program (the installed command, or a small script that relaunches itself as
the command's entry point does) and reads the allocator from that process's own memory map.
"""

from __future__ import annotations

import ctypes.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require

from trustkg import allocator

PROBE = """\
import json, os, sys
from trustkg.allocator import in_use, relaunch_with_jemalloc
relaunch_with_jemalloc()
print(json.dumps({"allocator": in_use(), "preload": os.environ.get("LD_PRELOAD"), "arguments": sys.argv[1:]}))
sys.exit(3)
"""


@pytest.fixture(scope="module")
def library() -> Path:
    found = allocator.jemalloc()
    require(found is not None, "jemalloc (Debian: libjemalloc2)")
    assert found is not None
    return found


def _environment(**changes: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", allocator.CHOICE)}
    return {**environment, **changes}


def _probe(tmp_path: Path, arguments: list[str], **changes: str) -> dict[str, object]:
    script = tmp_path / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), *arguments], capture_output=True, text=True, env=_environment(**changes)
    )
    assert done.returncode == 3, done.stderr  # the relaunched program's exit code is the command's
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


@pytest.mark.parametrize(
    "command",
    [[str(Path(sys.executable).with_name("trustkg"))], [sys.executable, "-m", "trustkg"]],
    ids=["command", "-m"],
)
def test_the_command_reports_jemalloc_and_keeps_the_system_allocator_when_asked(
    library: Path, command: list[str]
) -> None:
    for changes, expected in (({}, "jemalloc"), ({allocator.CHOICE: "system"}, "system")):
        done = subprocess.run([*command, "--version"], capture_output=True, text=True, env=_environment(**changes))
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("trustkg ")
        assert f"(C allocator: {expected})" in done.stdout


def test_a_relaunched_program_keeps_its_arguments_and_exit_code_and_gives_back_the_environment(
    library: Path, tmp_path: Path
) -> None:
    arguments = ["query", "search-evidence", "--param", "text=a phrase with spaces, ünïcode and 'quotes'"]
    answer = _probe(tmp_path, arguments)
    # jemalloc is mapped, yet the programs this one starts (Java, a browser) see no LD_PRELOAD of ours.
    assert answer == {"allocator": "jemalloc", "preload": None, "arguments": arguments}


def test_the_users_own_preload_is_kept_beside_jemalloc_and_given_back(library: Path, tmp_path: Path) -> None:
    users = ctypes.util.find_library("m")  # the C maths library, which Python has loaded anyway
    assert users is not None
    answer = _probe(tmp_path, [], LD_PRELOAD=users)
    assert answer == {"allocator": "jemalloc", "preload": users, "arguments": []}


def test_no_relaunch_when_the_user_keeps_the_system_allocator_or_preloaded_jemalloc(
    library: Path, tmp_path: Path
) -> None:
    assert _probe(tmp_path, ["x"], **{allocator.CHOICE: "system"}) == {
        "allocator": "system",
        "preload": None,
        "arguments": ["x"],
    }
    # Preloaded by the user already: used as it is, and their LD_PRELOAD stays for the programs they start.
    assert _probe(tmp_path, [], LD_PRELOAD=str(library)) == {
        "allocator": "jemalloc",
        "preload": str(library),
        "arguments": [],
    }
