"""The one place IRIs are minted.

The build, the query runner (to bind parameters) and the views all call these
functions, so that an IRI scheme change is made once. Instance IRIs hang off the
trust's ODS code: ``https://w3id.org/trustkg/id/trust/RGT/action/quality-programme``.
Documents are identified by their own URL, so a source cited by several trusts
is one node and every fact's source is one click away.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from rdflib import URIRef

from trustkg.ontology import (
    ACTION_TYPE,
    ATTRIBUTION,
    ID,
    KEY_QUESTION,
    OUTCOME_TYPE,
    RATING,
    SOURCE_KIND,
    SUPPORT_GRADE,
    TRUST_TYPE,
    VOCABULARIES,
)
from trustkg.records import rating_change_type_id

#: IRIs of trusts and vocabulary terms recur in most facts, and an rdflib IRI costs microseconds to make.
#: Bounded, since query parameters (from a web request too) are minted here.
_recurring = lru_cache(maxsize=4096)


@_recurring
def trust(ods: str) -> URIRef:
    return ID[f"trust/{ods.upper()}"]


def _within(iri: str) -> URIRef:
    """An IRI under one minted here, from an ID (or path) that is one already.

    rdflib's ``URIRef()`` scans the text for characters no IRI holds, only to log a warning:
    most of the cost of minting, and the build mints one per fact (120,000 at 400 trusts).
    Whatever is written is checked when it is written (trustkg.ntriples).
    """
    return str.__new__(URIRef, iri)


def _in_trust(ods: str, kind: str, local_id: str) -> URIRef:
    return _within(f"{trust(ods)}/{kind}/{local_id}")


def site(ods: str, site_id: str) -> URIRef:
    return _in_trust(ods, "site", site_id)


def core_service(ods: str, service_id: str) -> URIRef:
    return _in_trust(ods, "core-service", service_id)


def inspection(ods: str, inspection_id: str) -> URIRef:
    return _in_trust(ods, "inspection", inspection_id)


def rating(ods: str, inspection_id: str, key_question_id: str) -> URIRef:
    return _within(f"{inspection(ods, inspection_id)}/rating/{key_question_id}")


def special_measures(ods: str, episode_id: str) -> URIRef:
    return _in_trust(ods, "special-measures", episode_id)


def regulatory_episode(ods: str, episode_id: str) -> URIRef:
    return _in_trust(ods, "regulatory-episode", episode_id)


def interview(ods: str, interview_id: str) -> URIRef:
    return _in_trust(ods, "interview", interview_id)


def participant(ods: str, interview_id: str) -> URIRef:
    return _within(f"{interview(ods, interview_id)}/participant")


def action(ods: str, action_id: str) -> URIRef:
    return _in_trust(ods, "action", action_id)


def outcome(ods: str, outcome_id: str) -> URIRef:
    return _in_trust(ods, "outcome", outcome_id)


def rating_change(ods: str, key_question_id: str, to_inspection_id: str) -> URIRef:
    return _in_trust(ods, "rating-change", f"{key_question_id}/{to_inspection_id}")


def evidence(ods: str, evidence_id: str) -> URIRef:
    return _in_trust(ods, "evidence", evidence_id)


def link_claim(evidence_iri: URIRef, index: int) -> URIRef:
    """The ``index``-th link claim of an evidence item (in the order its record lists them)."""
    return _within(f"{evidence_iri}/link/{index}")


@_recurring  # a source is cited by many facts of its trust
def document(url: str) -> URIRef:
    # Keep the URL as written, only escaping characters that are not allowed in an IRI.
    return URIRef(quote(url, safe=":/?#[]@!$&'()*+,;=%~-._"))


def citation(citing: URIRef, index: int) -> URIRef:
    """The ``index``-th source citation of a fact, evidence item or interview (in the order its record lists them)."""
    return _within(f"{citing}/citation/{index}")


def selector(citation_node: URIRef, kind: str) -> URIRef:
    """A citation's selector of one kind ("position" or "quote"): where in a text, and the words there."""
    return _within(f"{citation_node}/{kind}")


def project_codes(project_source_id: str) -> URIRef:
    """The concept scheme of a QDA project's own codes, named by the project's source ID."""
    return ID[f"project/{quote(project_source_id, safe='')}/codes"]


def project_code(project_source_id: str, guid: str) -> URIRef:
    return _within(f"{project_codes(project_source_id)}/{quote(guid, safe='')}")


@_recurring
def theme(theme_id: str) -> URIRef:
    """A theme of the default scheme or of a study's own scheme: one namespace, so IDs are unique across schemes."""
    return URIRef(f"{VOCABULARIES['themes']}{theme_id}")


def theme_scheme(study_id: str | None = None) -> URIRef:
    """The default theme scheme (``ontology/vocab/themes.ttl``), or the scheme a study brings in its data."""
    default = VOCABULARIES["themes"].rstrip("/")
    return URIRef(default if study_id is None else f"{default}-scheme/{study_id}")


@_recurring
def role(role_id: str) -> URIRef:
    """A role of the package's vocabulary or one a study adds in its data: one namespace, IDs unique across both."""
    return URIRef(f"{VOCABULARIES['roles']}{role_id}")


def role_scheme() -> URIRef:
    """The role vocabulary's scheme, which the roles studies add join."""
    return URIRef(VOCABULARIES["roles"].rstrip("/"))


@_recurring
def key_question(key_question_id: str) -> URIRef:
    return KEY_QUESTION[key_question_id]


@_recurring
def rating_level(level_id: str) -> URIRef:
    return RATING[level_id]


@_recurring
def trust_type(type_id: str) -> URIRef:
    return TRUST_TYPE[type_id]


@_recurring
def source_kind(kind_id: str) -> URIRef:
    return SOURCE_KIND[kind_id]


@_recurring
def attribution(attribution_id: str) -> URIRef:
    return ATTRIBUTION[attribution_id]


@_recurring
def support_grade(grade_id: str) -> URIRef:
    return SUPPORT_GRADE[grade_id]


@_recurring
def action_type(type_id: str) -> URIRef:
    return ACTION_TYPE[type_id]


@_recurring
def outcome_type(type_id: str) -> URIRef:
    return OUTCOME_TYPE[type_id]


def rating_change_type(direction_type_id: str, key_question_id: str) -> URIRef:
    """The derived outcome type of a rating change, e.g. 'rating-improved/well-led'."""
    return OUTCOME_TYPE[rating_change_type_id(direction_type_id, key_question_id)]


# --- taking IRIs apart ------------------------------------------------------------------------
# Views and pages that need a short name or an ID from an IRI ask here, so that the scheme above is
# the only thing that knows how IRIs are put together.


def local_name(iri: object) -> str:
    """The last segment of an IRI, after its final '/' or '#': ``leadership``, ``a-e1``, ``codedTheme``."""
    text = "" if iri is None else str(iri)
    return text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def ends_with(iri: object, tail: str) -> bool:
    """Whether an IRI ends in whole segments ``tail`` (``ZZ1``, ``action/a-walkabouts``), not a part of one."""
    return str(iri).endswith("/" + tail.strip("/"))
