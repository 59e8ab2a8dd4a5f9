"""Coded interviews in: the FICTIONAL demo project (examples/interviews/) through its mapping, read into
records, built beside the shipped case files, asked the headline question, and published without quotes.

Everything in examples/interviews/ is invented (trusts ZZ1 and ZZ2, interviewees, coders, words).
The expected quotes, claims and counts below were worked out by hand from the three transcripts in
examples/interviews/transcripts/ (the marked ``[[codes|words]]`` passages).
"""

from __future__ import annotations

import importlib.util
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from conftest import FIXTURE_DIR, REPO
from query_rows import short
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from trustkg import api
from trustkg.build import build_graph
from trustkg.loaders import Input
from trustkg.loaders.interviews import read_refi_qda
from trustkg.ontology import OA, TKG
from trustkg.records import Evidence, EvidenceBase, LinkClaim, Records

EXAMPLE = REPO / "examples" / "interviews"
MAPPING = EXAMPLE / "mapping.yaml"
DATA = REPO / "data"

# The coded passages, by hand from the transcripts: (words, action types, outcome types, themes).
# Themes are the codebook's themes of the coded types, plus any theme coded directly.
NURSE_WALKS = (
    "The chief executive came to our ward every Tuesday, and after a few months people started putting "
    "their names forward for the improvement groups."
)
NURSE_LISTENING = "They held listening sessions in the canteen and wrote up what we said on the noticeboard."
NURSE_TEA = "Mostly we talked about it over tea."  # coded only with the project's own code "Tea-room talk"
MATRON_WALKS = (
    "Seeing the executives on the floor made my team feel they could raise things, and more of them joined "
    "the ward councils."
)
MATRON_LISTENING = "We ran listening events for every shift."
MATRON_FAMILIES = "families told us they felt more welcome on the ward."
MATRON_FAMILIES_PARAPHRASE = "The matron reports that families said they felt more welcome."
DIRECTOR_WALKS = (
    "When we started walking the wards every week, patients' comments about being listened to became far more positive."
)
PROJECT = "fictional-ward-interviews"


def _action(type_id: str) -> str:
    return f"{PROJECT}-{type_id}"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_project", EXAMPLE / "make_project.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_shipped_project_is_what_the_script_makes_from_the_transcripts(tmp_path: Path) -> None:
    # Compared entry by entry: the compressed bytes may differ between zlib builds, the contents may not.
    rebuilt = _load_script().make_project(tmp_path / "rebuilt.qdpx")
    assert _entries(rebuilt) == _entries(EXAMPLE / "fictional-interviews.qdpx")


def test_every_example_file_says_it_is_fictional() -> None:
    for path in [MAPPING, EXAMPLE / "make_project.py", *sorted((EXAMPLE / "transcripts").glob("*.txt"))]:
        assert "FICTIONAL" in path.read_text(encoding="utf-8"), path


@pytest.fixture(scope="module")
def records() -> Records:
    return read_refi_qda(MAPPING)


def _evidence(records: Records) -> dict[str, Evidence]:
    items = {}
    for case in records.cases:
        for item in case.evidence:
            items[item.sources[0].position.quote if item.sources[0].position else item.statement] = item
    return items


def test_each_coded_passage_is_one_evidence_item_with_its_words_position_and_role(records: Records) -> None:
    assert records.problems == ()
    items = _evidence(records)
    passages = {NURSE_WALKS, NURSE_LISTENING, MATRON_WALKS, MATRON_LISTENING, MATRON_FAMILIES, DIRECTOR_WALKS}
    # Six passages with a trustkg meaning; the tea passage (project code only) is not evidence; plus one
    # item for the code link (keyed by its note, below).
    assert passages <= items.keys()
    assert NURSE_TEA not in items
    assert len(items) == 7
    roles = {NURSE_WALKS: "frontline-staff", MATRON_WALKS: "senior-manager", DIRECTOR_WALKS: "director-of-nursing"}
    for words, role in roles.items():
        assert items[words].reported_by == role
    transcripts = {path.stem: path.read_text(encoding="utf-8") for path in (EXAMPLE / "transcripts").glob("*.txt")}
    for words in passages:
        item = items[words]
        position = item.sources[0].position
        assert position is not None and position.start is not None and position.end is not None
        assert position.end - position.start == len(words)
        assert any(words in text for text in transcripts.values())
        assert item.sources[0].source_id == PROJECT
        assert item.interview is not None
    # The matron's families passage has the coder's paraphrase as its statement; the others are verbatim.
    assert items[MATRON_FAMILIES].statement == MATRON_FAMILIES_PARAPHRASE
    assert not items[MATRON_FAMILIES].verbatim
    assert items[NURSE_WALKS].statement == NURSE_WALKS and items[NURSE_WALKS].verbatim


def test_link_claims_are_drawn_as_documented(records: Records) -> None:
    items = _evidence(records)
    claims = {words: {(c.action, c.outcome, c.attribution) for c in item.links} for words, item in items.items()}
    walks, engagement = _action("visible-leadership"), _action("staff-engagement")
    listening, experience = _action("staff-listening"), _action("patient-experience")
    # A passage coded with an action type and an outcome type: reported together.
    assert claims[NURSE_WALKS] == {(walks, engagement, "reported-together")}
    assert claims[MATRON_WALKS] == {(walks, engagement, "reported-together")}
    assert claims[DIRECTOR_WALKS] == {(walks, experience, "reported-together")}
    # Passages with only an action or only an outcome claim no link, but still name what they speak of.
    for words in (NURSE_LISTENING, MATRON_LISTENING, MATRON_FAMILIES):
        assert claims[words] == set()
    assert items[MATRON_LISTENING].actions == (listening,) and items[MATRON_FAMILIES].outcomes == (experience,)
    # The project's link from "Staff listening and engagement" to "Patient experience and satisfaction":
    # only the matron's interview has passages coded with both, so one curator item, there, with a note.
    (link_item,) = [item for key, item in items.items() if "REFI-QDA link" in key]
    (claim,) = link_item.links
    assert claim == LinkClaim(listening, experience, "curator", claim.note)
    assert claim.note is not None and "Listening led to a better patient experience" in claim.note
    assert link_item.reported_by is None  # the coders' inference, not the interviewee's words
    # Today's mention-based queries see the same pairs.
    for item in items.values():
        assert {(c.action, c.outcome) for c in item.links} == {(a, o) for a in item.actions for o in item.outcomes}


def test_codes_the_mapping_does_not_mention_are_kept_as_the_projects_own(records: Records) -> None:
    assert [code.label for code in records.project_codes] == ["Tea-room talk"]
    (code,) = records.project_codes
    assert code.ref.project == PROJECT


def test_coders_get_stable_pseudonyms_unless_the_mapping_keeps_names(records: Records, tmp_path: Path) -> None:
    coders = {words: item.coders for words, item in _evidence(records).items() if item.sources[0].position}
    # Coder A coded the nurse's and the director's transcripts; coder B the matron's.
    assert coders[NURSE_WALKS] == coders[DIRECTOR_WALKS] != coders[MATRON_WALKS]
    assert all(len(names) == 1 and re.fullmatch(r"coder-\d", names[0]) for names in coders.values())
    assert read_refi_qda(MAPPING) == records  # stable: the same names on every load
    named = tmp_path / "mapping.yaml"
    named.write_text(MAPPING.read_text(encoding="utf-8").replace("../../data", str(DATA)) + "coders: names\n")
    (tmp_path / "fictional-interviews.qdpx").write_bytes((EXAMPLE / "fictional-interviews.qdpx").read_bytes())
    kept = {words: item.coders for words, item in _evidence(read_refi_qda(named)).items()}
    assert kept[NURSE_WALKS] == ("Fictional coder A",) and kept[MATRON_WALKS] == ("Fictional coder B",)


# --- built beside the shipped case files ---------------------------------------------------------


@pytest.fixture(scope="module")
def mixed() -> EvidenceBase:
    return api.load_evidence([Input(DATA, "case-files"), Input(MAPPING, "refi-qda")])


@pytest.fixture(scope="module")
def mixed_graph(mixed: EvidenceBase) -> Graph:
    return build_graph(mixed)[0]


def _rows(graph: Graph, **params: str) -> dict[tuple[object, object], tuple[object, ...]]:
    table = api.query(graph, "actions-to-outcomes", **params)
    return {(short(row[0]), short(row[1])): tuple(short(cell) for cell in row[2:]) for row in table.rows}


def test_the_headline_query_counts_the_interviews_by_hand(mixed_graph: Graph) -> None:
    # Columns: evidence, trusts, roles, source kinds, independent sources, kinds of role, stated claims,
    # contradictions, grade. Each interview is an independent source; every claim here is
    # reported-together or curator, so none is stated. ZZ1:
    # - visible-leadership -> staff-engagement: the nurse's and the matron's walks passages: 2 items,
    #   1 trust, 2 roles (frontline-staff, senior-manager), 1 kind of source (interview), 2 interviews,
    #   1 kind of role (both are staff), 0 stated, 0 contradictions: limited (2 independent sources).
    # - staff-listening -> patient-experience: the curator item of the project's code link: 1 item,
    #   1 trust, 0 roles (no interviewee reports it), 1 kind, 1 interview (the matron's), 0 kinds of
    #   role, 0, 0: very limited.
    assert _rows(mixed_graph, trust="ZZ1") == {
        ("visible-leadership", "staff-engagement"): (2, 1, 2, 1, 2, 1, 0, 0, "limited"),
        ("staff-listening", "patient-experience"): (1, 1, 0, 1, 1, 0, 0, 0, "very-limited"),
    }
    # ZZ2: the director's walks passage, visible-leadership -> patient-experience: 1 item, 1 trust,
    # 1 role, 1 kind, 1 interview, 1 kind of role (executive), 0, 0: very limited.
    assert _rows(mixed_graph, trust="ZZ2") == {
        ("visible-leadership", "patient-experience"): (1, 1, 1, 1, 1, 1, 0, 0, "very-limited")
    }


def test_mixing_adds_the_interviews_to_the_case_files_answer(mixed_graph: Graph) -> None:
    alone = _rows(build_graph(api.load_evidence(DATA))[0])
    together = _rows(mixed_graph)
    # By hand (above): what the fictional interviews add, as (evidence items, trusts); trusts add up
    # because ZZ1 and ZZ2 are new.
    added = {
        ("visible-leadership", "staff-engagement"): (2, 1),
        ("staff-listening", "patient-experience"): (1, 1),
        ("visible-leadership", "patient-experience"): (1, 1),
    }
    assert together.keys() == alone.keys() | added.keys()
    for pair, row in together.items():
        before = alone.get(pair, (0, 0, 0, 0))
        plus = added.get(pair, (0, 0))
        assert row[:2] == (before[0] + plus[0], before[1] + plus[1]), pair


def test_the_mixed_build_conforms_to_the_shapes(mixed_graph: Graph) -> None:
    report = api.validate_graph(mixed_graph)
    assert report.conforms, report.lines()


def _quotes() -> Iterator[str]:
    yield from (NURSE_WALKS, NURSE_LISTENING, MATRON_WALKS, MATRON_LISTENING, MATRON_FAMILIES, DIRECTOR_WALKS)


def test_interview_evidence_carries_position_and_quote_selectors(mixed_graph: Graph) -> None:
    exact = {str(o) for o in mixed_graph.objects(None, OA.exact)}
    assert exact == set(_quotes())
    starts = list(mixed_graph.subjects(RDF.type, OA.TextPositionSelector))
    assert len(starts) == 6
    scheme_codes = [
        str(o) for s in mixed_graph.subjects(TKG.projectCode, None) for o in mixed_graph.objects(s, TKG.projectCode)
    ]
    assert scheme_codes == []  # the tea passage is not evidence, so no item carries the project code
    assert Literal("Tea-room talk", lang="en") in set(mixed_graph.objects(None, SKOS.prefLabel))


def test_a_build_without_quotes_keeps_positions_and_paraphrases_but_no_words(mixed: EvidenceBase) -> None:
    graph, _ = build_graph(mixed, quotes=False)
    text = graph.serialize(format="nt")
    for words in _quotes():
        assert words not in text
    assert not list(graph.objects(None, OA.exact))
    assert len(list(graph.subjects(RDF.type, OA.TextPositionSelector))) == 6
    assert MATRON_FAMILIES_PARAPHRASE in text
    assert "Fictional coder" not in text  # pseudonyms, as in every build unless the mapping keeps names
    assert api.validate_graph(graph).conforms


def test_the_mapping_documented_in_data_readme_is_the_one_loaded_here() -> None:
    text = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```yml\n(.*?)```", text, flags=re.DOTALL)
    assert block == MAPPING.read_text(encoding="utf-8")


def test_the_explorer_and_the_evidence_map_carry_quote_role_and_position(mixed_graph: Graph) -> None:
    from trustkg import evidence_map, explorer, instances

    view = instances.instance_graph(mixed_graph)
    nodes = {node["quote"]: node for node in explorer.vis_nodes(view, explorer.layout(view)) if node["quote"]}
    assert set(nodes) == set(_quotes())
    nurse = nodes[NURSE_WALKS]
    assert nurse["role"] == "Frontline staff"
    # The passage's place in its transcript, in code points: its length is the quote's.
    start, end = map(int, re.findall(r"characters (\d+)-(\d+)", nurse["position"])[0])
    assert nurse["position"].startswith("transcript iv-") and end - start == len(NURSE_WALKS)
    cells = evidence_map.page_data(evidence_map.evidence_map(mixed_graph))["cells"]
    items = [item for cell in cells.values() for item in cell["items"] if item["quote"]]
    # The map lists items that name an action and an outcome: the three walks passages (not the curator item).
    assert {item["quote"] for item in items} == {NURSE_WALKS, MATRON_WALKS, DIRECTOR_WALKS}
    assert all(item["role"] and item["position"].startswith("transcript iv-") for item in items)


def test_interviews_at_trusts_another_input_declares_join_those_trusts_cases(tmp_path: Path) -> None:
    # The fixture case base (FICTIONAL) declares ZZ1 and ZZ2; a mapping without trusts: adds to them.
    # Its codebook has visible-leadership, staff-listening and staff-engagement but not
    # patient-experience, so that code is kept as the project's own and its passages carry no claim.
    mapping = tmp_path / "mapping.yaml"
    text = MAPPING.read_text(encoding="utf-8").replace("../../data", str(FIXTURE_DIR))
    mapping.write_text(re.sub(r"trusts:\n(  .*\n)+", "", text), encoding="utf-8")
    (tmp_path / "fictional-interviews.qdpx").write_bytes((EXAMPLE / "fictional-interviews.qdpx").read_bytes())
    alone = api.load_evidence(FIXTURE_DIR)
    base = api.load_evidence([Input(FIXTURE_DIR, "case-files"), Input(mapping, "refi-qda")])
    before = {case.trust.ods: case for case in alone.cases}
    after = {case.trust.ods: case for case in base.cases}
    assert after.keys() == before.keys()
    # By hand: ZZ1 gains the nurse's and the matron's interviews and 4 items (walks and listening in
    # each; the families passage is coded only with patient-experience, and the code link has no
    # trustkg outcome end); ZZ2 the director's interview and 1 item (walks, naming no outcome now).
    assert len(after["ZZ1"].interviews) == len(before["ZZ1"].interviews) + 2
    assert len(after["ZZ1"].evidence) == len(before["ZZ1"].evidence) + 4
    assert len(after["ZZ2"].interviews) == len(before["ZZ2"].interviews) + 1
    (director,) = [item for item in after["ZZ2"].evidence if item not in before["ZZ2"].evidence]
    assert director.outcomes == () and director.links == ()
    assert after["ZZ1"].trust == before["ZZ1"].trust
    assert sorted(code.label for code in base.project_codes) == ["Patient experience and satisfaction", "Tea-room talk"]
