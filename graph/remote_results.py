"""An endpoint's answer to a query, read into an rdflib ``Result``: SPARQL results XML by a reader of our own.

The remote store asks for SELECT results in XML (the W3C SPARQL Query Results XML Format) because it is
the standard format Virtuoso 7.2 writes fastest while keeping every term whole: its JSON writer spends
tens of microseconds on each value, and its TSV and CSV drop datatypes and language tags and write IRIs as
strings (its TSV is CSV with tabs, not the W3C's TSV). rdflib's own XML reader builds the whole element
tree and a new term for every cell; this one streams through expat and makes each distinct term once per
answer (a grade, a trust or a small count recurs in row after row), so reading costs less than the query.

The reader is strict: anything but a well-formed results document (a DOCTYPE, an element out of place, a
binding that names no variable of the head, a term that is not one of uri, bnode or literal) raises
:class:`StoreError` with the line it is on. It keeps no more than the answer: no entities are expanded, and
a term met again is the one made before. An answer in another format (an endpoint that does not offer XML
answers JSON) goes to rdflib's reader for its media type.

A CONSTRUCT or DESCRIBE is answered as a graph (N-Triples, else Turtle), read by rdflib's parser into the
result's graph. Virtuoso 7.2 answers an ASK as a one-row table of a variable ``__ASK_RETVAL`` (1 or 0) in
every results format, with no row for no; that table is read as the yes or no it stands for.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from xml.parsers import expat

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.exceptions import ParserError
from rdflib.plugin import PluginException
from rdflib.query import Result
from rdflib.term import Identifier

from trustkg.errors import StoreError, shown

RESULTS_XML = "application/sparql-results+xml"
RESULTS_JSON = "application/sparql-results+json"
#: The graph formats a CONSTRUCT or DESCRIBE answer is read in, by media type -> rdflib's parser.
_GRAPH_FORMATS = {"application/n-triples": "nt", "text/turtle": "turtle"}
#: What a remote store asks for a CONSTRUCT or DESCRIBE: N-Triples, the simplest to read, else Turtle.
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
#: The one variable of Virtuoso's table answer to an ASK.
_VIRTUOSO_ASK = Variable("__ASK_RETVAL")

_NAMESPACE = "http://www.w3.org/2005/sparql-results#"
_XML_LANG = "http://www.w3.org/XML/1998/namespace lang"
#: expat names an element "namespace local-name" with this separator.
_SEPARATOR = " "
_TERMS = frozenset({"uri", "bnode", "literal"})
#: Which elements each element may hold (None: the document itself). Nothing else is read.
_CHILDREN: dict[str | None, frozenset[str]] = {
    None: frozenset({"sparql"}),
    "sparql": frozenset({"head", "results", "boolean"}),
    "head": frozenset({"variable", "link"}),
    "results": frozenset({"result"}),
    "result": frozenset({"binding"}),
    "binding": _TERMS,
}
#: Elements whose text is their value; anywhere else only white space may stand between elements.
_VALUED = _TERMS | {"boolean"}
#: expat's name of each element of the format -> its local name; an element of another namespace has none.
_LOCAL_NAMES = {
    f"{_NAMESPACE}{_SEPARATOR}{name}": name
    for name in {*_CHILDREN["sparql"], *_CHILDREN["head"], "sparql", "result", "binding", *_TERMS}
}
_BOOLEANS = {"true": True, "false": False}
#: How many distinct terms one read remembers: a table's recurring values are among the first met, and an
#: answer of millions of distinct terms should not hold each one twice.
_REMEMBERED_TERMS = 65_536


class _MalformedError(Exception):
    """Raised inside expat's callbacks; turned into a StoreError that names the line."""


class _XmlResults:
    """The state of one read: where in the document it is, the head, the rows so far."""

    def __init__(self) -> None:
        self.open: list[str | None] = [None]
        self.variables: dict[str, Variable] = {}
        self.rows: list[Mapping[Variable, Identifier]] = []
        self.answer: bool | None = None
        self.seen_results = False
        self.row: dict[Variable, Identifier] = {}
        self.binding: Variable | None = None
        self.term_attributes: dict[str, str] = {}
        self.text = ""
        self.terms: dict[tuple[str, str, str | None, str | None], Identifier] = {}

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        parent = self.open[-1]
        name = _LOCAL_NAMES.get(tag)
        if name not in _CHILDREN.get(parent, ()):
            where = f"inside <{parent}>" if parent else "as the document"
            raise _MalformedError(f"<{shown(tag)}> is not expected {where}")
        self.open.append(name)
        if name in _VALUED:
            self.term_attributes = attributes
            self.text = ""
        elif name == "binding":
            variable = self.variables.get(self._attribute(attributes, "name"))
            if variable is None:
                raise _MalformedError(f"a binding of {shown(attributes['name'])!r}, which the head does not name")
            if variable in self.row:
                raise _MalformedError(f"{str(variable)!r} is bound twice in one result")
            self.binding = variable
        elif name == "result":
            self.row = {}
        elif name == "variable":
            variable_name = self._attribute(attributes, "name")
            self.variables[variable_name] = Variable(variable_name)
        elif name == "results":
            self.seen_results = True

    def end(self, tag: str) -> None:
        name = self.open.pop()
        if name in _TERMS:
            assert self.binding is not None  # a term is only ever opened inside a binding
            if self.binding in self.row:
                raise _MalformedError(f"the binding of {str(self.binding)!r} holds more than one term")
            self.row[self.binding] = self._term(name, self.text)
        elif name == "binding" and self.binding not in self.row:
            raise _MalformedError(f"the binding of {str(self.binding)!r} holds no term")
        elif name == "result":
            self.rows.append(self.row)
        elif name == "boolean":
            text = self.text.strip()
            if text not in _BOOLEANS:
                raise _MalformedError(f"a boolean answer of {shown(text)!r}, not true or false")
            self.answer = _BOOLEANS[text]

    def characters(self, data: str) -> None:
        if self.open[-1] in _VALUED:
            self.text += data
        elif not data.isspace():
            raise _MalformedError(f"text {shown(data.strip())!r} outside any value")

    def _term(self, kind: str, text: str) -> Identifier:
        datatype = self.term_attributes.get("datatype")
        language = self.term_attributes.get(_XML_LANG)
        key = (kind, text, datatype, language)
        term = self.terms.get(key)
        if term is not None:
            return term
        if kind == "uri":
            term = URIRef(text)
        elif kind == "bnode":
            term = BNode(text)
        elif datatype is not None and language is not None:
            raise _MalformedError(f"the literal {shown(text)!r} has both a datatype and a language tag")
        else:
            try:
                term = Literal(text, lang=language, datatype=URIRef(datatype) if datatype is not None else None)
            except ValueError as error:  # rdflib refuses a malformed language tag
                raise _MalformedError(str(error)) from None
        if len(self.terms) < _REMEMBERED_TERMS:
            self.terms[key] = term
        return term

    @staticmethod
    def _attribute(attributes: dict[str, str], name: str) -> str:
        if name not in attributes:
            raise _MalformedError(f"an element without its {name} attribute")
        return attributes[name]

    def result(self) -> Result:
        if self.answer is not None:
            answer = Result("ASK")
            answer.askAnswer = self.answer
            return answer
        if not self.seen_results:
            raise _MalformedError("neither results nor a boolean answer")
        table = Result("SELECT")
        table.vars = list(self.variables.values())
        table.bindings = self.rows
        return table


def _refuse_doctype(*_: object) -> None:
    # A results document never needs one, and a DOCTYPE is where entity expansion attacks live.
    raise _MalformedError("a DOCTYPE, which results never have")


def read_xml_results(body: bytes, source: str) -> Result:
    """SPARQL results XML (SELECT or ASK) as an rdflib ``Result``; :class:`StoreError` naming the line if malformed."""
    state = _XmlResults()
    parser = expat.ParserCreate(namespace_separator=_SEPARATOR)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.StartElementHandler = state.start
    parser.EndElementHandler = state.end
    parser.CharacterDataHandler = state.characters
    try:
        parser.Parse(body, True)
        return state.result()
    except _MalformedError as error:
        line = parser.CurrentLineNumber
        raise StoreError(f"{source}: answered malformed SPARQL results XML, line {line}: {error}") from None
    except expat.ExpatError as error:
        reason = expat.ErrorString(error.code)
        raise StoreError(f"{source}: answered malformed SPARQL results XML, line {error.lineno}: {reason}") from None


def _read_graph(body: bytes, content_type: str, source: str) -> Result:
    answer = Result("CONSTRUCT")
    answer.graph = Graph()
    try:
        answer.graph.parse(data=body, format=_GRAPH_FORMATS[content_type])
    except (ParserError, SyntaxError, ValueError) as error:  # rdflib's parsers' errors, with the line they know
        raise StoreError(f"{source}: answered a malformed {content_type} graph: {shown(str(error), 300)}") from None
    return answer


def _ask_answer(table: Result, source: str) -> Result:
    """Virtuoso's ``__ASK_RETVAL`` table as the ASK answer it stands for: no row is no, a row of 1 is yes."""
    values = [str(row.get(_VIRTUOSO_ASK)) for row in table.bindings]
    if table.vars != [_VIRTUOSO_ASK] or values not in ([], ["0"], ["1"]):
        raise StoreError(f"{source}: answered an ASK with a table, not a yes or no")
    answer = Result("ASK")
    answer.askAnswer = values == ["1"]
    return answer


def read_results(body: bytes, content_type: str, source: str, form: str = "SELECT") -> Result:
    """An endpoint's answer to a query of ``form`` (SELECT, ASK, CONSTRUCT or DESCRIBE) as an rdflib ``Result``.

    Results XML is read here, a graph and other results formats by rdflib's readers for their media type.
    """
    if content_type in _GRAPH_FORMATS:
        if form not in ("CONSTRUCT", "DESCRIBE"):
            raise StoreError(f"{source}: answered a {form} query with a graph ({content_type})")
        return _read_graph(body, content_type, source)
    if content_type == RESULTS_XML:
        answer = read_xml_results(body, source)
    else:
        try:
            answer = Result.parse(io.BytesIO(body), content_type=content_type)
        except PluginException:
            raise StoreError(
                f"{source}: answered {shown(content_type)!r}, which is not a SPARQL results format"
            ) from None
    if form == "ASK" and answer.type == "SELECT":
        return _ask_answer(answer, source)
    if form in ("CONSTRUCT", "DESCRIBE"):
        raise StoreError(f"{source}: answered a {form} query with a results table, not a graph")
    return answer
