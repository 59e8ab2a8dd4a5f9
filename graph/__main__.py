"""``python -m trustkg``: the same as the ``trustkg`` command."""

from trustkg.cli import entry_point

entry_point()
