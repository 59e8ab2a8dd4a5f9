"""The question scripts in scripts/, run in-process on the fixture; their answers worked out by hand.

The facts behind each answer are listed in test_queries.py. Scripts are programs, not a package, so
each is loaded from its file; one test also runs one as a program, as an analyst would.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

import pytest
from conftest import REPO

SCRIPTS = REPO / "scripts"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"scripts_{name}", SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


Run = Callable[..., str]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], query_fixture_dir: Path) -> Run:
    """Run a script's main() on the query fixture; return what it printed (and check it succeeded)."""

    def run_script(name: str, *argv: str) -> str:
        main: Callable[[Sequence[str]], int] = load(name).main
        capsys.readouterr()
        assert main(["--data", str(query_fixture_dir), *argv]) == 0
        return capsys.readouterr().out

    return run_script


def test_every_script_is_tested_and_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    names = sorted(path.stem for path in SCRIPTS.glob("*.py"))
    # Each is tested below, but for central_actions (tests/test_pages.py).
    assert names == [
        "best_supported_actions",
        "central_actions",
        "rating_moves",
        "special_measures_common",
        "themes_by_role",
    ]
    for name in names:
        with pytest.raises(SystemExit) as exited:
            load(name).main(["--help"])
        assert exited.value.code == 0
        assert "--data" in capsys.readouterr().out


def test_what_trusts_that_left_special_measures_had_in_common(run: Run) -> None:
    # ZZ1 (2015-04 to 2016-11) started a-listening (2015, possibly inside) and a-walkabouts; ZZ4 (2014-12
    # to 2016-06) d-new-ceo (the month it entered, possibly), d-walks and d-qi (2016, possibly). Both
    # took visible leadership, and both took it certainly inside.
    assert run("special_measures_common") == (
        "2 trust(s) left special measures:\n"
        "  Fixture Alpha Hospitals NHS Trust: 2015-04 to 2016-11\n"
        "  Fixture Delta Mental Health NHS Trust: 2014-12 to 2016-06\n"
        "\n"
        "Kinds of action every one of them started while in special measures:\n"
        "  Visible leadership\n"
        "\n"
        "Kinds of action only some of them started:\n"
        "  Leadership replacement: Fixture Delta Mental Health NHS Trust\n"
        "  Quality improvement programme: Fixture Delta Mental Health NHS Trust\n"
        "  Staff listening: Fixture Alpha Hospitals NHS Trust\n"
    )
    certain = run("special_measures_common", "--certain").split("\n\n")
    assert certain[1:] == [
        "Kinds of action every one of them started while in special measures (certainly):\n  Visible leadership",
        "Kinds of action only some of them started:\n  (none)\n",
    ]


def test_themes_staff_raise_that_executives_do_not(run: Run) -> None:
    # From the role-perspectives matrix: staff alone speak of vision and values (c-e1); executives alone
    # of the reaction to the report (d-e2); both of leadership (1 / 3), culture (5 / 1), safety (1 / 1).
    assert run("themes_by_role") == (
        "Themes staff raise that executives do not (evidence items):\n"
        "  Vision and values: 1\n"
        "\n"
        "Themes both raise (staff / executives):\n"
        "  Leadership: 1 / 3\n"
        "  Cultural change: 5 / 1\n"
        "  Improving safety: 1 / 1\n"
        "\n"
        "Themes executives raise that staff do not:\n"
        "  Reaction to the inspection report: 1\n"
    )
    # At ZZ2 the patient representative (b-e1) and the chief executive (b-e2) both speak of leadership only.
    assert run("themes_by_role", "--raised-by", "patient-and-public", "--trust", "ZZ2") == (
        "Themes patients and the public raise that executives do not (evidence items):\n"
        "  (none)\n"
        "\n"
        "Themes both raise (patients and the public / executives):\n"
        "  Leadership: 1 / 1\n"
        "\n"
        "Themes executives raise that patients and the public do not:\n"
        "  (none)\n"
    )


def test_best_supported_actions_for_each_outcome(run: Run) -> None:
    # From the actions-to-outcomes table (test_queries.ALL_LINKS): the strongest link per outcome type,
    # ties listed together; outcomes in label order.
    assert run("best_supported_actions") == (
        "Incident reporting culture\n"  # b-e4 and d-e3: one item each, a tie
        "  Quality improvement programme: 1 evidence item, 1 trust, 1 role, 1 kind of source\n"
        "  Staff listening: 1 evidence item, 1 trust, 1 role, 1 kind of source\n"
        "Overall rating improved\n"  # visible leadership (2 trusts) beats leadership replacement (1)
        "  Visible leadership: 2 evidence items, 2 trusts, 1 role, 2 kinds of source\n"
        "Safe rating declined\n"
        "  Staff listening: 1 evidence item, 1 trust, 1 role, 1 kind of source\n"
        "Safe rating improved\n"
        "  Quality improvement programme: 2 evidence items, 2 trusts, 2 roles, 2 kinds of source\n"
        "Staff engagement\n"  # a-e2 and a-e3: a tie
        "  Staff listening: 1 evidence item, 1 trust, 1 role, 1 kind of source\n"
        "  Visible leadership: 1 evidence item, 1 trust, 1 role, 1 kind of source\n"
        "Well-led rating improved\n"
        "  Visible leadership: 4 evidence items, 3 trusts, 4 roles, 3 kinds of source\n"
    )
    # Only what staff reported: a-e2, a-e3, b-e4, d-e3 (two links), d-e5; one item per link, so ties.
    assert run("best_supported_actions", "--role", "staff") == (
        "Incident reporting culture\n"
        "  Quality improvement programme: 1 evidence item, 1 trust, 1 role, 1 kind of source\n"
        "  Staff listening: 1 evidence item, 1 trust, 1 role, 1 kind of source\n"
        "Safe rating declined\n"
        "  Staff listening: 1 evidence item, 1 trust, 1 role, 1 kind of source\n"
        "Safe rating improved\n"
        "  Quality improvement programme: 1 evidence item, 1 trust, 1 role, 1 kind of source\n"
        "Staff engagement\n"
        "  Staff listening: 1 evidence item, 1 trust, 1 role, 1 kind of source\n"
        "  Visible leadership: 1 evidence item, 1 trust, 1 role, 1 kind of source\n"
    )
    # Leadership actions seen at two trusts or more: the visible-leadership links to overall and well-led.
    assert run("best_supported_actions", "--theme", "leadership", "--min-trusts", "2") == (
        "Overall rating improved\n"
        "  Visible leadership: 2 evidence items, 2 trusts, 1 role, 2 kinds of source\n"
        "Well-led rating improved\n"
        "  Visible leadership: 4 evidence items, 3 trusts, 4 roles, 3 kinds of source\n"
    )


WELL_LED_MOVES = (
    "Fixture Alpha Hospitals NHS Trust\n"
    "  well-led: Inadequate (2015-03) -> Good (2016-09-12) -> Good (2018-01)\n"
    "  started before Well-led: Inadequate to good (2015-03 to 2016-09-12):\n"
    "    possibly 2015: Listening events for all staff (Staff listening)\n"
    "    2015-06: Weekly executive walkabouts (Visible leadership)\n"
    "Fixture Beta NHS Foundation Trust\n"
    "  well-led: Requires improvement (2014-05) -> Outstanding (2016-06)\n"
    "  started before Well-led: Requires improvement to outstanding (2014-05 to 2016-06):\n"
    "    possibly 2014: New chair and board (Leadership replacement)\n"
    "    2014-09: Chief executive's open-door visits (Visible leadership)\n"
    "Fixture Delta Mental Health NHS Trust\n"
    "  well-led: Inadequate (2014-11) -> Requires improvement (2016-04) -> Inadequate (2017-09)\n"
    "  started before Well-led: Inadequate to requires improvement (2014-11 to 2016-04):\n"
    "    2014-12: New chief executive appointed (Leadership replacement)\n"
    "    2015-01-15: Board walk-rounds (Visible leadership)\n"
    "    possibly 2016: Delta safety collaborative (Quality improvement programme)\n"
    "Fixture Gamma Community NHS Trust\n"
    "  well-led: not rated\n"
)  # trusts in the order of their names, as rating-trajectories lists them


def test_how_well_led_moved_and_what_came_before(run: Run) -> None:
    # Trajectories from the case files; the actions are those of actions-before-rating-change (see
    # test_queries.WELL_LED_BEFORE). ZZ4's fall to inadequate gets no list: only rises do.
    assert run("rating_moves") == WELL_LED_MOVES


def test_how_overall_moved(run: Run) -> None:
    out = run("rating_moves", "--key-question", "overall")
    # ZZ3's site inspection (c-2015) is not the trust's rating, nor is ZZ4's site delta-unit (whose own
    # rise, 2015-06 to 2017-03, is left out too); ZZ1's second rise came after a-qi.
    assert "Fixture Gamma Community NHS Trust\n  overall: Good (2017-03)\n" in out
    assert out.endswith(
        "Fixture Delta Mental Health NHS Trust\n"
        "  overall: Inadequate (2014-11) -> Requires improvement (2016-04) -> Requires improvement (2017-09)\n"
        "  started before Overall: Inadequate to requires improvement (2014-11 to 2016-04):\n"
        "    2014-12: New chief executive appointed (Leadership replacement)\n"
        "    2015-01-15: Board walk-rounds (Visible leadership)\n"
        "    possibly 2016: Delta safety collaborative (Quality improvement programme)\n"
        "Fixture Gamma Community NHS Trust\n  overall: Good (2017-03)\n"  # by name: Delta before Gamma
    )
    assert (
        "  started before Overall: Requires improvement to good (2016-09-12 to 2018-01):\n"
        "    2017-02: Alpha improvement academy (Quality improvement programme)\n"
    ) in out


def test_a_script_runs_as_a_program(query_fixture_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / "rating_moves.py"), "--data", str(query_fixture_dir)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == WELL_LED_MOVES


def test_a_script_reports_bad_input_clearly(query_fixture_dir: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / "themes_by_role.py"), "--data", str(query_fixture_dir), "--trust", "ZZ9"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("themes_by_role.py: parameter trust of 'role-perspectives': unknown trust")
    assert "known: ZZ1, ZZ2, ZZ3, ZZ4" in done.stderr
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / "rating_moves.py"), "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert "no cases/ directory" in done.stderr


@pytest.mark.parametrize("name", ["rating_moves", "central_actions"])
def test_a_closed_pipe_ends_a_script_quietly(name: str) -> None:
    # `rating_moves.py | head -1` on a long answer: the reader goes away before the script has written
    # everything. `head -n 0` goes away before the first write, so the test does not depend on output size.
    script = SCRIPTS / f"{name}.py"
    done = subprocess.run(
        f"set -o pipefail; {sys.executable} {script} --data {REPO / 'tests' / 'fixtures' / 'casebase'} | head -n 0",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
