"""The ``trustkg`` command and ``python -m trustkg``: the CLI, run with jemalloc where the machine has it."""

from typing import NoReturn

from trustkg.allocator import relaunch_with_jemalloc


def main() -> NoReturn:
    relaunch_with_jemalloc()
    # Imported after the relaunch: the CLI's imports are most of a command's start-up, done once.
    from trustkg.cli import entry_point

    entry_point()


if __name__ == "__main__":
    main()
