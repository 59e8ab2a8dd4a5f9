"""An endpoint's answer to a query, read into an rdflib ``Result``: a SELECT's table as a result set in N-Triples,
else SPARQL results XML, each by a reader of our own.

The remote store asks for a SELECT's answer in N-Triples first: the table written as a graph in the result-set
vocabulary (``res:ResultSet``, ``res:solution``, ``res:binding``), which Virtuoso 7.2 writes in C. Its results
XML and JSON writers spend about 25 microseconds on each literal (measured on the shipped data: a query
answering 500 labels took 12.4 ms as XML, 3.2 ms as Turtle or CSV), and its TSV and CSV drop datatypes and
language tags and write IRIs as strings (its TSV is CSV with tabs, not the W3C's TSV). Its Turtle writes a
double as a bare decimal, which reads back as ``xsd:decimal``; its N-Triples keep every term whole. Virtuoso
writes them in one layout (the head, then each solution's line and its bindings, three lines each), read here a
binding at a time by regular expressions, about three times faster than through Oxigraph's parser, which reads
any other layout (and anything the first reading declines, so that it raises the error). Each distinct term is
made once per answer. Virtuoso writes the solutions in their order and numbers none; a solution's
``res:index``, where an endpoint writes one, orders them instead.
A plain string comes back as the simple literal it equals (RDF 1.1), whether the endpoint typed it
``xsd:string`` or not.

Results XML (an ASK's answer, or a SELECT's from an endpoint that offers no N-Triples for one) is streamed
through expat and each distinct term made once per answer (a grade, a trust or a small count recurs in row
after row), where rdflib's own XML reader builds the whole element tree and a new term for every cell.

Both readers are strict. A results document that is not well formed (a DOCTYPE, an element out of place, a
binding that names no variable of the head, a term that is not one of uri, bnode or literal) raises
:class:`StoreError` with the line it is on; it keeps no more than the answer: no entities are expanded, and
a term met again is the one made before. A graph that is not N-Triples, has a triple the result-set
vocabulary does not have, a binding without its variable or value, or a variable bound twice in one solution
is refused too. An answer in another results format (an endpoint that offers neither answers JSON) goes to
rdflib's reader for its media type.

A CONSTRUCT or DESCRIBE is answered as a graph (N-Triples, else Turtle), read by rdflib's parser into the
result's graph. Virtuoso 7.2 answers an ASK as a one-row table of a variable ``__ASK_RETVAL`` (1 or 0) in
every results format, with no row for no; that table is read as the yes or no it stands for.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from xml.parsers import expat

import pyoxigraph as ox
from rdflib import XSD, BNode, Graph, Literal, URIRef, Variable
from rdflib.exceptions import ParserError
from rdflib.plugin import PluginException
from rdflib.query import Result
from rdflib.term import Identifier

from trustkg.errors import StoreError, shown

RESULTS_XML = "application/sparql-results+xml"
RESULTS_JSON = "application/sparql-results+json"
#: A SELECT's table as a graph in the result-set vocabulary: the format Virtuoso 7.2 answers fastest in that
#: keeps every term whole.
RESULT_SET_MEDIA_TYPE = "application/n-triples"
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


_RESULT_SET = "http://www.w3.org/2005/sparql-results#"
_RESULT_SET_CLASS = ox.NamedNode(_RESULT_SET + "ResultSet")
_OX_XSD_STRING = ox.NamedNode(str(XSD.string))
#: The predicates of a result set, each by the number the reading loop tells them apart by.
_VALUE, _VARIABLE, _BINDING, _SOLUTION, _RESULT_VARIABLE, _INDEX, _TYPE = range(7)
_PREDICATES = {
    ox.NamedNode(_RESULT_SET + "value"): _VALUE,
    ox.NamedNode(_RESULT_SET + "variable"): _VARIABLE,
    ox.NamedNode(_RESULT_SET + "binding"): _BINDING,
    ox.NamedNode(_RESULT_SET + "solution"): _SOLUTION,
    ox.NamedNode(_RESULT_SET + "resultVariable"): _RESULT_VARIABLE,
    ox.NamedNode(_RESULT_SET + "index"): _INDEX,
    ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"): _TYPE,
}
#: Virtuoso 7.2 opens a result set in N-Triples with a line that is not N-Triples (a prefixed name, and the class
#: IRI written wrong): ``_:ResultSet2053 rdf:type <http://www.w3.org/1999/02/22-rdf-syntax-ns#res:ResultSet> .``
#: That line, exactly and only as the first, is read as the result set's type triple it stands for.
_VIRTUOSO_TYPE_LINE = re.compile(
    rb"\A_:([A-Za-z0-9]+) rdf:type <http://www\.w3\.org/1999/02/22-rdf-syntax-ns#res:ResultSet> \.\r?\n"
)

#: Whatever Oxigraph's parser gives as a subject or object (a quoted triple too, which results never hold).
_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class _ResultSet:
    """The triples of one result set, gathered by what they say; then the table they spell, checked whole."""

    def __init__(self) -> None:
        self.result_sets: list[_Term] = []
        self.head: list[tuple[_Term, _Term]] = []
        self.solutions: list[tuple[_Term, _Term]] = []
        self.index: list[tuple[_Term, _Term]] = []
        self.solution_of: dict[_Term, _Term] = {}
        self.variable_of: dict[_Term, _Term] = {}
        self.value_of: dict[_Term, _Term] = {}
        self.triples = 0

    def read(self, quads: Iterable[ox.Quad]) -> None:
        # One loop, no call per triple: reading is most of the time an answer takes here.
        predicates, value_of, variable_of, solution_of = _PREDICATES, self.value_of, self.variable_of, self.solution_of
        solutions, triples = self.solutions, 0
        for quad in quads:
            triples += 1
            kind = predicates.get(quad.predicate)
            if kind == _VALUE:
                value_of[quad.subject] = quad.object
            elif kind == _VARIABLE:
                variable_of[quad.subject] = quad.object
            elif kind == _BINDING:
                solution_of[quad.object] = quad.subject
            elif kind == _SOLUTION:
                solutions.append((quad.subject, quad.object))
            elif kind == _RESULT_VARIABLE:
                self.head.append((quad.subject, quad.object))
            elif kind == _INDEX:
                self.index.append((quad.subject, quad.object))
            elif kind == _TYPE and quad.object == _RESULT_SET_CLASS:
                self.result_sets.append(quad.subject)
            else:
                raise _MalformedError(f"a triple of <{shown(quad.predicate.value)}>, which result sets do not have")
        self.triples += triples

    def result(self) -> Result:
        if len(self.result_sets) != 1:
            raise _MalformedError(f"{len(self.result_sets)} result sets, not one")
        (result_set,) = self.result_sets
        if any(node != result_set for node, _ in [*self.head, *self.solutions]):
            raise _MalformedError("a variable or solution of something other than the result set")
        # A second value, variable or solution of one binding took the first one's place above.
        kept = len(self.value_of) + len(self.variable_of) + len(self.solution_of)
        if kept + len(self.head) + len(self.solutions) + len(self.index) + len(self.result_sets) != self.triples:
            raise _MalformedError("a binding with two values or two variables, or in two solutions")
        # Each variable by the literal naming it, which is the literal each binding names it by.
        variables = {node: Variable(_name(node)) for _, node in self.head}
        order = [solution for _, solution in self.solutions]
        rows: dict[_Term, dict[Variable, Identifier]] = {solution: {} for solution in order}
        if len(rows) != len(order):
            raise _MalformedError("a solution listed twice")
        if self.index:  # Virtuoso numbers none: its solutions come in their order
            numbers = {solution: _number(number) for solution, number in self.index}
            if numbers.keys() != rows.keys() or len(set(numbers.values())) != len(order):
                raise _MalformedError("solutions numbered in part, or two with one number")
            rows = {solution: rows[solution] for solution in sorted(rows, key=numbers.__getitem__)}
        terms: dict[_Term, Identifier] = {}
        for binding, solution in self.solution_of.items():
            row = rows.get(solution)
            name = self.variable_of.get(binding)
            value = self.value_of.get(binding)
            if row is None or name is None or value is None:
                raise _MalformedError("a binding outside any solution, or without its variable or value")
            variable = variables.get(name)
            if variable is None:
                raise _MalformedError(f"a binding of {shown(_name(name))!r}, which the head does not name")
            if variable in row:
                raise _MalformedError(f"{str(variable)!r} is bound twice in one solution")
            term = terms.get(value)
            if term is None:
                term = _term(value)
                if len(terms) < _REMEMBERED_TERMS:
                    terms[value] = term
            row[variable] = term
        if len(self.variable_of) != len(self.solution_of) or len(self.value_of) != len(self.solution_of):
            raise _MalformedError("a variable or value outside any binding")
        table = Result("SELECT")
        table.vars = list(variables.values())
        table.bindings = list(rows.values())
        return table


def _name(node: _Term) -> str:
    if not isinstance(node, ox.Literal) or node.datatype != _OX_XSD_STRING:
        raise _MalformedError("a variable named by something other than a string")
    return node.value


def _number(node: _Term) -> int:
    if not isinstance(node, ox.Literal) or not node.value.isdigit():
        raise _MalformedError("a solution numbered by something other than a whole number")
    return int(node.value)


def _term(value: _Term) -> Identifier:
    """The rdflib term ``value`` is; a string the simple literal it equals, as results XML writes it."""
    if isinstance(value, ox.NamedNode):
        return URIRef(value.value)
    if isinstance(value, ox.BlankNode):
        return BNode(value.value)
    if isinstance(value, ox.Triple):
        raise _MalformedError("a quoted triple as a value")
    if value.language is not None:
        return Literal(value.value, lang=value.language)
    if value.datatype == _OX_XSD_STRING:
        return Literal(value.value)
    return Literal(value.value, datatype=URIRef(value.datatype.value))


#: The terms of N-Triples (IRIREF, STRING_LITERAL_QUOTE with LANGTAG or datatype, BLANK_NODE_LABEL) in their
#: ASCII forms, for Virtuoso's own layout below; an IRI with an escape, or a label beyond ASCII, is left to Oxigraph.
_NT_IRI = r'<[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*>'
_NT_STRING = r'"(?:[^"\\\n\r]|\\[tbnrf"\'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*"'
_NT_LABEL = r"_:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?"
_NT_TERM = rf"(?:({_NT_IRI})|({_NT_STRING})(?:@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)|\^\^({_NT_IRI}))?|({_NT_LABEL}))"
_RS = re.escape(_RESULT_SET)
#: Virtuoso writes each binding as three lines in this order, each solution's line before its bindings, and the
#: head first: read a binding a match, with no object made for the lines that only hold the table together.
_VIRTUOSO_HEAD = re.compile(rf'({_NT_LABEL}) <{_RS}resultVariable> "([^"\\\n\r]*)" \.\n')
_VIRTUOSO_SOLUTION = re.compile(rf"({_NT_LABEL}) <{_RS}solution> ({_NT_LABEL}) \.\n")
_VIRTUOSO_BINDING = re.compile(
    rf'({_NT_LABEL}) <{_RS}binding> ({_NT_LABEL}) \.\n\2 <{_RS}variable> "([^"\\\n\r]*)" \.\n'
    rf"\2 <{_RS}value> {_NT_TERM} \.\n"
)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_XSD_STRING_IRI = f"<{XSD.string}>"


def _unescaped(match: re.Match[str]) -> str:
    if match.group(3) is not None:
        return _ECHARS[match.group(3)]
    code = int(match.group(1) or match.group(2), 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise _MalformedError("an escape of no character")
    return chr(code)


def _virtuoso_layout(text: str, result_set: str) -> Result | None:
    """The table of a result set written in Virtuoso's layout (after its first line); None for any other layout.

    The terms made are those the general reading makes (tests compare the two), some three times faster.
    """
    variables: dict[str, Variable] = {}
    position = 0
    while (head := _VIRTUOSO_HEAD.match(text, position)) is not None and head.group(1) == result_set:
        variables[head.group(2)] = Variable(head.group(2))
        position = head.end()
    rows: list[Mapping[Variable, Identifier]] = []
    row: dict[Variable, Identifier] = {}
    solution = None
    terms: dict[tuple[str | None, ...], Identifier] = {}
    binding_at, solution_at = _VIRTUOSO_BINDING.match, _VIRTUOSO_SOLUTION.match
    try:
        while position < len(text):
            if (binding := binding_at(text, position)) is not None:
                variable = variables.get(binding.group(3))
                if binding.group(1) != solution or variable is None or variable in row:
                    return None
                key = binding.group(4, 5, 6, 7, 8)
                term = terms.get(key)
                if term is None:
                    term = terms[key] = _layout_term(*key)
                row[variable] = term
                position = binding.end()
            elif (listed := solution_at(text, position)) is not None and listed.group(1) == result_set:
                solution, row = listed.group(2), {}
                rows.append(row)
                position = listed.end()
            else:
                return None
    except (_MalformedError, ValueError):  # an escape of no character, a tag rdflib refuses: the general reading says
        return None
    table = Result("SELECT")
    table.vars = list(variables.values())
    table.bindings = rows
    return table


def _layout_term(
    iri: str | None, string: str | None, language: str | None, datatype: str | None, label: str | None
) -> Identifier:
    if iri is not None:
        return URIRef(iri[1:-1])
    if label is not None:
        return BNode(label[2:])
    assert string is not None  # the pattern's one other alternative
    value = string[1:-1]
    if "\\" in value:
        value = _ESCAPE.sub(_unescaped, value)
    if language is not None:
        return Literal(value, lang=language.lower())  # as Oxigraph gives a tag
    if datatype is None or datatype == _XSD_STRING_IRI:
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype[1:-1]))


def read_result_set(body: bytes, source: str) -> Result:
    """A SELECT's table written as a result set in N-Triples, as an rdflib ``Result``; :class:`StoreError` if malformed.

    (Oxigraph's parser refuses what is not N-Triples.)
    """
    result_set = _ResultSet()
    virtuoso_line = _VIRTUOSO_TYPE_LINE.match(body)
    if virtuoso_line is not None:
        label = virtuoso_line.group(1).decode("ascii")
        try:
            table = _virtuoso_layout(body[virtuoso_line.end() :].decode("utf-8"), f"_:{label}")
        except UnicodeDecodeError:
            table = None
        if table is not None:
            return table
        result_set.result_sets.append(ox.BlankNode(label))
        result_set.triples += 1
        body = body[virtuoso_line.end() :]
    try:
        result_set.read(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        return result_set.result()
    except SyntaxError as error:
        raise StoreError(
            f"{source}: answered a malformed {RESULT_SET_MEDIA_TYPE} graph: {shown(str(error), 300)}"
        ) from None
    except _MalformedError as error:
        raise StoreError(
            f"{source}: answered a SELECT query with a graph ({RESULT_SET_MEDIA_TYPE}) that is not a SPARQL result "
            f"set: {error}"
        ) from None


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

    A result set in N-Triples and results XML are read here, a graph and other results formats by rdflib's readers
    for their media type.
    """
    if content_type == RESULT_SET_MEDIA_TYPE and form == "SELECT":
        return read_result_set(body, source)
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
