"""The SHACL shapes as SPARQL queries, one per shape and constraint, for Oxigraph to run whole.

``ontology/shapes.ttl`` stays the one statement of the rules: every query here is generated
from it, each returning one row per SHACL validation result (the focus node and, where SHACL
reports one, the value). Only the parts of SHACL Core the shapes use are translated; a shape
that uses anything else (another constraint component, target or path, a severity, a
deactivated shape) is refused with :class:`~trustkg.errors.ShapesError` naming it, rather than
left unchecked. pyshacl stays the reference: ``trustkg.validate`` runs either, and the tests
require both to report the same (focus, path, shape, constraint) results.

Why: pyshacl asks the store for one triple pattern at a time, 16x the build at 400 trusts;
Oxigraph plans and answers each generated query in one go.

Every test below is written so that an error inside it (comparing a string with a number, a
cast that fails) counts as the value failing the test, as SHACL requires, never as passing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import BNode, Node

from trustkg.errors import ShapesError

#: Datatypes whose literals can be ill-typed ("2015-13"^^xsd:gYearMonth): a literal of one matches
#: only if SPARQL can cast its text to the datatype, as SHACL asks. (pyshacl checks the years and
#: months only once owlrl has registered rdflib converters for them, process-wide.)
_CHECKED_LEXICALLY = (
    XSD.integer,
    XSD.decimal,
    XSD.boolean,
    XSD.date,
    XSD.dateTime,
    XSD.float,
    XSD.double,
    XSD.gYear,
    XSD.gYearMonth,
)
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_RANGES = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_LENGTHS = {SH.minLength: ">=", SH.maxLength: "<="}
#: Parameters tested on each value node on its own, with their constraint components.
_VALUE_COMPONENTS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
}
#: Parameters about a focus node's values together, with their constraint components.
_FOCUS_COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH.qualifiedValueShape: SH.QualifiedMaxCountConstraintComponent,
}
#: What a shape may say besides its constraints: nothing here changes which results it gives.
_STRUCTURE = {RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.property, SH.path, SH.message, SH.flags}
_QUALIFIED = {SH.qualifiedMaxCount}
_ALLOWED = _STRUCTURE | _QUALIFIED | set(_VALUE_COMPONENTS) | set(_FOCUS_COMPONENTS)
_PATH_REPEATS = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


@dataclass(frozen=True)
class ShapeQuery:
    """One constraint of one shape as a SELECT whose rows (``?focus``, maybe ``?value``) are its results."""

    shape: Node
    component: URIRef
    #: The shape's path as SPARQL property-path text with prefixes, e.g. ``tkg:codedTheme|tkg:statedTheme``.
    path: str
    message: str | None
    sparql: str


def _term(node: Node) -> str:
    if isinstance(node, URIRef | Literal):
        return node.n3()
    raise ShapesError(f"a shape names a blank node {node} where a term is expected")


def _string(text: str) -> str:
    # JSON's string escapes are all SPARQL escapes too.
    return json.dumps(text, ensure_ascii=False)


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.fresh = 0

    def one(self, shape: Node, parameter: URIRef) -> Node:
        values = list(self.shapes.objects(shape, parameter))
        if len(values) != 1:
            raise ShapesError(f"shape {shape} has {len(values)} values of {parameter}; the SPARQL checks need one")
        return values[0]

    def variable(self) -> str:
        self.fresh += 1
        return f"?v{self.fresh}"

    def constraints(self, shape: Node) -> list[tuple[URIRef, Node]]:
        """The shape's constraint parameters and their values, in a fixed order (structure left out)."""
        found = [
            (URIRef(str(parameter)), value)
            for parameter, value in self.shapes.predicate_objects(shape)
            if parameter not in _STRUCTURE and parameter not in _QUALIFIED
        ]
        return sorted(found, key=lambda pair: (str(pair[0]), str(pair[1])))

    def refuse_unknown(self, shape: Node) -> None:
        unknown = sorted({str(p) for p in self.shapes.predicates(shape)} - {str(p) for p in _ALLOWED})
        if unknown:
            raise ShapesError(f"shape {shape} uses {', '.join(unknown)}, for which no SPARQL check is generated")
        if (shape, SH.qualifiedValueShape, None) in self.shapes and (
            shape,
            SH.qualifiedMaxCount,
            None,
        ) not in self.shapes:
            raise ShapesError(f"shape {shape}: only sh:qualifiedMaxCount is translated to SPARQL")

    # --- paths and targets ------------------------------------------------------------------

    def path(self, path: Node) -> str:
        if isinstance(path, URIRef):
            return path.n3()
        if (path, RDF.first, None) in self.shapes:
            return "(" + "/".join(self.path(step) for step in Collection(self.shapes, path)) + ")"
        inverse = self.shapes.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + self.path(inverse)
        alternatives = self.shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(step) for step in Collection(self.shapes, alternatives)) + ")"
        for kind, mark in _PATH_REPEATS.items():
            inner = self.shapes.value(path, kind)
            if inner is not None:
                return f"({self.path(inner)}){mark}"
        raise ShapesError(f"a SHACL path the SPARQL checks do not translate: {path}")

    def targets(self, shape: Node) -> list[str]:
        patterns = [
            f"?focus {RDF.type.n3()}/{RDFS.subClassOf.n3()}* {_term(c)} ."
            for c in self.shapes.objects(shape, SH.targetClass)
        ]
        patterns += [f"?focus {_term(p)} [] ." for p in self.shapes.objects(shape, SH.targetSubjectsOf)]
        return patterns

    # --- whether a node conforms to a shape, as one SPARQL expression -------------------------

    def satisfies(self, shape: Node, parameter: URIRef, value: Node, v: str) -> str:
        """An expression true when the node in ``v`` passes one value-node constraint; never an error."""
        if parameter == SH["class"]:
            return f"EXISTS {{ {v} {RDF.type.n3()}/{RDFS.subClassOf.n3()}* {_term(value)} }}"
        if parameter == SH.datatype:
            test = f"isLiteral({v}) && datatype({v}) = {_term(value)}"
            if value in _CHECKED_LEXICALLY:
                test += f" && isLiteral({_term(value)}(STR({v})))"
            return f"COALESCE({test}, false)"
        if parameter == SH.nodeKind:
            if not isinstance(value, URIRef) or value not in _NODE_KINDS:
                raise ShapesError(f"shape {shape}: unknown sh:nodeKind {value}")
            return _NODE_KINDS[value].format(v=v)
        if parameter == SH.pattern:
            flags = self.shapes.value(shape, SH.flags)
            flag_text = f", {_string(str(flags))}" if flags is not None else ""
            return f"COALESCE(!isBlank({v}) && REGEX(STR({v}), {_string(str(value))}{flag_text}), false)"
        if parameter in _LENGTHS:
            return f"COALESCE(!isBlank({v}) && STRLEN(STR({v})) {_LENGTHS[parameter]} {_term(value)}, false)"
        if parameter in _RANGES:
            return f"COALESCE({v} {_RANGES[parameter]} {_term(value)}, false)"
        if parameter == SH.node:
            return self.conforms(value, v)
        if parameter == SH["not"]:
            return f"!({self.conforms(value, v)})"
        if parameter == SH["or"]:
            return "(" + " || ".join(f"({self.conforms(option, v)})" for option in Collection(self.shapes, value)) + ")"
        if parameter == SH.hasValue:
            return f"sameTerm({v}, {_term(value)})"
        raise ShapesError(f"shape {shape}: {parameter} is not translated inside another shape")

    def conforms(self, shape: Node, v: str) -> str:
        """An expression true when the node in ``v`` conforms to ``shape`` (a nested shape: targets ignored)."""
        self.refuse_unknown(shape)
        path = self.shapes.value(shape, SH.path)
        tests = []
        for parameter, value in self.constraints(shape):
            if path is None:
                tests.append(self.satisfies(shape, parameter, value, v))
                continue
            steps = self.path(path)
            if parameter in _VALUE_COMPONENTS:
                x = self.variable()
                tests.append(
                    f"NOT EXISTS {{ {v} {steps} {x} FILTER(!({self.satisfies(shape, parameter, value, x)})) }}"
                )
            elif parameter == SH.minCount and value == Literal(1):
                tests.append(f"EXISTS {{ {v} {steps} {self.variable()} }}")
            elif parameter == SH.hasValue:
                tests.append(f"EXISTS {{ {v} {steps} {_term(value)} }}")
            else:
                raise ShapesError(f"shape {shape}: {parameter} {value} is not translated inside another shape")
        for member in sorted(self.shapes.objects(shape, SH.property), key=str):
            tests.append(self.conforms(member, v))
        return " && ".join(f"({test})" for test in tests) or "true"

    # --- the top-level queries ----------------------------------------------------------------

    def queries(self, shape: Node, focus: list[str]) -> Iterator[ShapeQuery]:
        """One query per constraint of ``shape``, whose focus nodes ``focus`` patterns give."""
        self.refuse_unknown(shape)
        targets = " UNION ".join(f"{{ {pattern} }}" for pattern in focus)
        path = self.shapes.value(shape, SH.path)
        message = self.shapes.value(shape, SH.message)
        for parameter, value in self.constraints(shape):
            component = _VALUE_COMPONENTS.get(parameter) or _FOCUS_COMPONENTS[parameter]
            body = self.body(shape, parameter, value, path, targets)
            text = path_text(self.shapes, path)
            yield ShapeQuery(shape, component, text, str(message) if message is not None else None, body)
        for member in sorted(self.shapes.objects(shape, SH.property), key=str):
            if path is not None:
                raise ShapesError(f"shape {shape}: sh:property on a property shape is not translated")
            yield from self.queries(member, focus)

    def body(self, shape: Node, parameter: URIRef, value: Node, path: Node | None, targets: str) -> str:
        if path is None:
            if parameter not in _VALUE_COMPONENTS:
                raise ShapesError(f"shape {shape}: {parameter} needs a sh:path")
            test = self.satisfies(shape, parameter, value, "?focus")
            return f"SELECT DISTINCT ?focus (?focus AS ?value) WHERE {{ {targets} FILTER(!({test})) }}"
        steps = self.path(path)
        if parameter in _VALUE_COMPONENTS:
            test = self.satisfies(shape, parameter, value, "?value")
            return f"SELECT DISTINCT ?focus ?value WHERE {{ {targets} ?focus {steps} ?value . FILTER(!({test})) }}"
        if parameter == SH.minCount:
            if value == Literal(1):
                return f"SELECT DISTINCT ?focus WHERE {{ {targets} FILTER NOT EXISTS {{ ?focus {steps} ?value }} }}"
            return _counted(targets, f"OPTIONAL {{ ?focus {steps} ?value }}", f"< {_term(value)}")
        if parameter in (SH.maxCount, SH.qualifiedValueShape):
            limit = value if parameter == SH.maxCount else self.one(shape, SH.qualifiedMaxCount)
            qualified = f"FILTER({self.conforms(value, '?value')})" if parameter == SH.qualifiedValueShape else ""
            return _counted(targets, f"?focus {steps} ?value . {qualified}", f"> {_term(limit)}")
        if parameter == SH.hasValue:
            return f"SELECT DISTINCT ?focus WHERE {{ {targets} FILTER NOT EXISTS {{ ?focus {steps} {_term(value)} }} }}"
        if parameter == SH.uniqueLang:
            if value != Literal(True):
                return "SELECT ?focus WHERE { FILTER(false) }"
            # One result per focus node and language used twice (as pyshacl reports it): no value.
            return (
                f"SELECT DISTINCT ?focus WHERE {{ {targets} ?focus {steps} ?value . ?focus {steps} ?other . "
                f'FILTER(!sameTerm(?value, ?other) && LANG(?value) != "" && LCASE(LANG(?value)) = LCASE(LANG(?other))) }}'
            )
        if parameter == SH.disjoint:
            return f"SELECT DISTINCT ?focus ?value WHERE {{ {targets} ?focus {steps} ?value . ?focus {_term(value)} ?value . }}"
        if parameter == SH.lessThanOrEquals:
            return (
                f"SELECT DISTINCT ?focus ?value WHERE {{ {targets} ?focus {steps} ?value . ?focus {_term(value)} ?other . "
                "FILTER(!COALESCE(?value <= ?other, false)) }"
            )
        raise ShapesError(f"shape {shape}: no SPARQL check is generated for {parameter}")


def _counted(targets: str, values: str, comparison: str) -> str:
    """Focus nodes whose number of distinct values (matched by ``values``) breaks ``comparison``, e.g. ``> 1``."""
    return (
        f"SELECT ?focus WHERE {{ {{ SELECT DISTINCT ?focus WHERE {{ {targets} }} }} {values} }}"
        f" GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) {comparison})"
    )


def path_text(shapes: Graph, path: Node | None) -> str:
    """A SHACL path as SPARQL property-path text with prefixes, e.g. ``tkg:codedTheme|tkg:statedTheme``."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return shapes.namespace_manager.normalizeUri(path)
    if isinstance(path, BNode):
        inverse = shapes.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + path_text(shapes, inverse)
        alternatives = shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            return "|".join(path_text(shapes, step) for step in Collection(shapes, alternatives))
        if shapes.value(path, RDF.first) is not None:  # a sequence path is an RDF list
            return "/".join(path_text(shapes, step) for step in Collection(shapes, path))
    return str(path)


def shape_queries(shapes: Graph) -> tuple[ShapeQuery, ...]:
    """Every constraint of every targeted shape in ``shapes`` as a query; raises for an untranslated feature."""
    compiler = _Compiler(shapes)
    targeted = {s for p in (SH.targetClass, SH.targetSubjectsOf) for s in shapes.subjects(p, None)}
    for p in (SH.targetNode, SH.targetObjectsOf, SH.target, SH.severity, SH.deactivated):
        for shape in shapes.subjects(p, None):
            raise ShapesError(f"shape {shape} uses {p}, for which no SPARQL check is generated")
    for shape in shapes.subjects(RDF.type, RDFS.Class):
        raise ShapesError(f"shape {shape} is also a class (an implicit target), which is not translated")
    queries: list[ShapeQuery] = []
    for shape in sorted(targeted, key=str):
        if (shape, SH.path, None) in shapes:
            raise ShapesError(f"shape {shape}: a property shape with its own targets is not translated")
        queries.extend(compiler.queries(shape, compiler.targets(shape)))
    return tuple(queries)
