"""The engine's contract: pure (no Django, no clock), one cited function per rule, the API's fields, stable order."""
import ast
import dataclasses
import subprocess
import sys
from pathlib import Path

import oversight.rules as rules
from oversight.rules import RULES, DataCheck, Evidence, Finding
from oversight.rules.catalog import ACTION_RULES_BY_ID, THRESHOLD_RULES_BY_ID

from .world import D, World

RULES_DIR = Path(rules.__file__).parent


def test_the_rules_import_nothing_from_django():
    code = (
        "import sys, oversight.rules; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=RULES_DIR.parent.parent)
    assert result.stdout.strip() == "[]"


def test_no_rule_reads_the_clock():
    for path in RULES_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"today", "now", "utcnow"}, f"{path.name}:{node.lineno} reads the clock"
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [alias.name for alias in node.names] + [getattr(node, "module", None) or ""]
                assert not {"time", "django"} & {name.split(".")[0] for name in names}, path.name


def test_there_is_one_function_per_rule_citing_its_article_in_one_line():
    catalog = {**THRESHOLD_RULES_BY_ID, **ACTION_RULES_BY_ID}
    assert sorted(function.__name__ for function in RULES) == sorted(catalog)
    for function in RULES:
        doc = function.__doc__
        assert doc and "\n" not in doc.strip()
        assert doc.startswith(catalog[function.__name__].article + ":"), function.__name__


def test_findings_and_data_checks_have_exactly_the_contract_s_fields():
    # settings_from (DESIGN.md findings/, issue 12) comes last among the fields: it has a default.
    assert [f.name for f in dataclasses.fields(Finding)] == [
        "deputy", "rule", "article", "status", "action", "responsible", "period_start", "period_end", "count",
        "required", "trigger_date", "evidence", "settings_from",
    ]
    assert [f.name for f in dataclasses.fields(Evidence)] == ["type", "id", "date"]
    assert [f.name for f in dataclasses.fields(DataCheck)] == ["check", "deputy", "type", "id", "date", "detail"]


def test_a_finding_turns_into_the_api_s_plain_values():
    world = World()
    d = world.deputy()
    activity = world.activity(d, "inspection", D(2024, 2, 1))
    finding = world.finding(D(2024, 6, 1), "closed_session_activities", d, year=2024)
    assert finding.as_dict() == {
        "deputy": d, "rule": "closed_session_activities", "article": "A4.1", "status": "behind",
        "action": "none", "responsible": "deputy", "period_start": D(2024, 1, 1), "period_end": D(2024, 12, 31),
        "count": 1, "required": 3, "trigger_date": None, "settings_from": D(2022, 1, 1),
        "evidence": [{"type": "activity", "id": activity, "date": D(2024, 2, 1)}],
    }


def test_findings_are_frozen_and_hashable():
    world = World()
    world.deputy()
    findings = world.evaluate(D(2024, 6, 1))
    assert len(set(findings)) == len(findings)
    try:
        findings[0].status = "met"
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a finding could be changed")


def test_findings_come_by_deputy_then_in_the_catalog_s_rule_order():
    world = World()
    second, first = world.deputy(), world.deputy()
    session = world.session(D(2024, 1, 10), D(2024, 1, 13))
    world.attend_session(first, session, present=False)
    world.attend_session(second, session, present=False)
    findings = world.evaluate(D(2024, 6, 1), include_met=True)
    order = [function.__name__ for function in RULES]
    keys = [(f.deputy, order.index(f.rule), f.period_start) for f in findings]
    assert keys == sorted(keys)
    assert findings[0].deputy == min(first, second)


def test_evaluate_deputy_gives_that_deputy_s_part():
    world = World()
    a, b = world.deputy(), world.deputy(start=D(2024, 10, 1))
    facts = world.facts()
    everything = rules.evaluate(world.term, facts, D(2025, 6, 1), include_met=True)
    assert rules.evaluate_deputy(world.term, facts, b, D(2025, 6, 1), include_met=True) == [
        f for f in everything if f.deputy == b
    ]
    assert rules.evaluate_deputy(world.term, facts, 999, D(2025, 6, 1)) == []
    assert rules.evaluate(world.term, facts, D(2025, 6, 1), deputy_ids=[a]) == [
        f for f in everything if f.deputy == a and f.status != "met"
    ]
