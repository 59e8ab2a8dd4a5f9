"""The limits on one YAML input file, in one place, whatever parser composes it.

A hostile or broken file must cost bounded time and memory: a size cap before
parsing, a nesting depth (PyYAML's composer recurses once per level, so two
thousand levels were a RecursionError), and a bound on what aliases add (a
kilobyte "billion laughs" file expands to gigabytes for any code that walks
it). :func:`compose_bounded` is the one way the loaders compose YAML; a faster
parser goes in there, and :func:`tree_problem` checks its tree whatever built it.
"""

from __future__ import annotations

import re

import yaml

#: The largest input file read, in bytes: far above any real case file (the largest shipped is ~40 KB).
MAX_FILE_BYTES = 16 * 1024 * 1024
#: The deepest nesting of lists and mappings accepted: the format itself needs five levels.
MAX_DEPTH = 64
#: How many nodes aliases may add to a file, counting each alias as a full copy of what it names.
MAX_ALIAS_EXPANSION = 10_000


class BoundsError(yaml.YAMLError):
    """A file went past one of the limits; ``line`` is where, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _BoundedComposer(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a document nested deeper than :data:`MAX_DEPTH` before it recurses.

    It counts the aliases it meets: a tree without any is a tree, and needs no other check.
    """

    depth = 0
    aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise BoundsError(f"nested more than {MAX_DEPTH} levels deep", mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


NULL_TAG = "tag:yaml.org,2002:null"
_TEXT_TAG = "tag:yaml.org,2002:str"
_SEQUENCE_TAG, _MAPPING_TAG = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
#: What YAML reads as null when written plain (unquoted): SafeLoader's rule, the only tag the loaders read.
NULL_TEXT = frozenset(("", "~", "null", "Null", "NULL"))


if yaml.__with_libyaml__:

    class _FastComposer(yaml.CSafeLoader):
        """libyaml's composer (40x faster here), resolving only null: scalars are read raw, as text.

        Its nodes keep their marks, so problems still name the line. libyaml stops at 1,000 levels
        of nesting without recursing in Python; this composer stops at :data:`MAX_DEPTH`, and
        :func:`tree_problem` holds a tree with aliases to the alias bound. SafeLoader's resolver tries its
        regular expressions on every scalar: half the load time of a large case base, for tags
        nothing here reads.
        """

        depth = 0

        # Called for every node without a tag of its own, so it makes no other call: a scalar is null
        # or text, a list or mapping gets the tag SafeLoader's resolver gives it (it has no path resolvers).
        def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
            if kind is yaml.ScalarNode:
                return NULL_TAG if implicit[0] and value in NULL_TEXT else _TEXT_TAG
            return _SEQUENCE_TAG if kind is yaml.SequenceNode else _MAPPING_TAG

        # libyaml's composer calls these around every node it composes: nesting is counted as it goes,
        # rather than by a walk over the finished tree (a third of composing a large base). Too deep a
        # file stops here, and the pure-Python composer reads it again to name the line.
        def descend_resolver(self, current_node: yaml.Node | None, current_index: object) -> None:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise BoundsError(f"nested more than {MAX_DEPTH} levels deep")

        def ascend_resolver(self) -> None:
            self.depth -= 1

    class _ShallowComposer(_FastComposer):
        """libyaml's composer for a text that :func:`surely_shallow` clears: its depth needs no counting.

        Counting it was two Python calls a node, 8% of reading a large case base.
        """

        def descend_resolver(self, current_node: yaml.Node | None, current_index: object) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass


#: What may stand before the first token of a block list or mapping on its line: the indentation,
#: and the indicators of the lists and mappings it is nested in on that line ("- - key: value").
_BLOCK_PREFIX = "[ \t?:-]"
#: What libyaml also reads as a line break (Python's "^" knows only the line feed), and a byte-order mark,
#: which it skips without counting a column.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029", "\ufeff")


def surely_shallow(text: str) -> bool:
    """Whether ``text`` cannot nest deeper than :data:`MAX_DEPTH`, told from its characters, without parsing it.

    A block list or mapping nested in another starts at a greater column (libyaml's indentation stack),
    but for a list that is a mapping's value, which may start at the mapping's column. So along any path
    there are at most 2 * (C + 1) of them, C the greatest column one starts at, which is no greater than
    the longest run of indentation and indicators that starts a line. Below them are flow collections,
    each opened by a bracket or a brace of the text, or a pair in a flow list ("[a: b]"), and then one scalar.
    A text that might nest deeper is composed with its depth counted.
    """
    brackets = text.count("[") + text.count("{")
    # 2 * (C + 1) + 2 * brackets + 1 <= MAX_DEPTH, where C is less than the prefix refused.
    refused_prefix = (MAX_DEPTH - 1) // 2 - brackets
    if refused_prefix < 1 or any(mark in text for mark in _OTHER_BREAKS):
        return False
    # Each line's start found by its line feed: a search from a literal, five times faster than "^".
    return re.search(f"\n{_BLOCK_PREFIX}{{{refused_prefix}}}", "\n" + text) is None


def compose_bounded(text: str) -> yaml.Node | None:
    """Compose one YAML document safely (no objects constructed), within the limits; raises ``yaml.YAMLError``.

    A parser that composes in C (PyYAML's ``CSafeLoader``) does not recurse in Python, but its tree
    must still go through :func:`tree_problem`, and its nesting be bounded before it composes.
    """
    if yaml.__with_libyaml__:
        fast = _ShallowComposer(text) if surely_shallow(text) else _FastComposer(text)
        try:
            node = fast.get_single_node()
        except yaml.YAMLError:
            # A broken file is composed again by the pure-Python composer below, so that its problem is
            # told in the same words whichever parser is installed (libyaml words some differently).
            pass
        else:
            # Depth was bounded while composing. Without an anchor ('&') there can be no alias, and nothing
            # more to check; with one, tree_problem bounds what the aliases expand to.
            problem = tree_problem(node) if node is not None and "&" in text else None
            if problem is not None:
                raise BoundsError(*problem)
            return node
        finally:
            fast.dispose()
    loader = _BoundedComposer(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is not None and loader.aliases:
        problem = tree_problem(node)
        if problem is not None:
            raise BoundsError(*problem)
    return node


def tree_problem(root: yaml.Node) -> tuple[str, int] | None:
    """What is wrong with a composed tree's shape (too deep, alias cycle, alias expansion), and the line.

    One pass over the distinct nodes, without recursion: an alias is a node met a second time.
    """
    size: dict[int, int] = {}  # expanded node count, once a node is finished
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    distinct = 0
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in _children(node))
            continue
        line = int(node.start_mark.line) + 1
        if key in open_nodes:
            return "an alias refers to a list or mapping that contains it", line
        if key in size:
            continue
        if depth > MAX_DEPTH:
            return f"nested more than {MAX_DEPTH} levels deep", line
        distinct += 1
        open_nodes.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node) if id(child) not in size)
    expansion = size[id(root)] - distinct
    if expansion > MAX_ALIAS_EXPANSION:
        return (
            f"aliases expand the file by {expansion:,} values, more than the {MAX_ALIAS_EXPANSION:,} allowed",
            int(root.start_mark.line) + 1,
        )
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
