"""A warm session (engine/session.py) over several edits gives what a fresh run over the same
buffers gives, while reusing what the edit did not change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lambdalint.config import Settings
from lambdalint.engine import templates as template_phase
from lambdalint.engine.fix import FixRequest
from lambdalint.engine.run import run
from lambdalint.engine.session import Session

FIXTURES = Path(__file__).parent / "fixtures"
SHOW = FixRequest("show", unsafe=True)


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "every_family", root)
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    return root


def _seen(result):
    return [(f.rule, f.path, f.span, f.message, f.fix) for f in result.findings]


def _counting(monkeypatch) -> list[int]:
    calls = [0]
    real = template_phase.check_templates

    def counted(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(template_phase, "check_templates", counted)
    return calls


EDITS = [
    lambda text: text.replace('"s3"', '"sqs"'),
    lambda text: (
        text.replace("def handler", "import requests\n\n\ndef handler")
        + "\n\ndef more(event):\n    return requests.get('https://example.com')\n"
    ),
    lambda text: text.replace("s3.list_buckets()", "boto3.client('dynamodb').list_tables()"),
    lambda text: text + "\n\ndef handler(event, context)\n",  # a syntax error
    lambda text: text.replace("boto3", "botocore"),
]


def test_a_session_over_several_edits_equals_fresh_runs(project, monkeypatch):
    settings = Settings(root=project, cache=False)
    session = Session(settings)
    target = project / "app.py"
    template = project / "template.yaml"
    text = target.read_text()
    calls = _counting(monkeypatch)
    for number, edit in enumerate(EDITS):
        text = edit(text)
        overlay = {target: text}
        warm = session.check([target, template], overlay, SHOW)
        fresh = run(
            [target, template], Settings(root=project, cache=False), fixes=SHOW, overlay=overlay
        )
        assert _seen(warm) == _seen(fresh), f"after edit {number + 1}"
    # The template did not change: its rules ran in the first check only (and in each fresh run).
    assert calls[0] == 1 + len(EDITS)


def test_a_changed_template_is_checked_again(project, monkeypatch):
    session = Session(Settings(root=project, cache=False))
    target = project / "app.py"
    template = project / "template.yaml"
    calls = _counting(monkeypatch)
    session.check([target, template], None, SHOW)
    edited = template.read_text().replace("Timeout: ", "Timeout: 1")
    if edited == template.read_text():
        edited = template.read_text() + "\nOutputs: {}\n"
    overlay = {template: edited}
    warm = session.check([target, template], overlay, SHOW)
    fresh = run(
        [target, template], Settings(root=project, cache=False), fixes=SHOW, overlay=overlay
    )
    assert _seen(warm) == _seen(fresh)
    assert calls[0] == 3


def test_changed_rule_options_check_the_templates_again(project, monkeypatch):
    session = Session(Settings(root=project, cache=False))
    target = project / "app.py"
    calls = _counting(monkeypatch)
    session.check([target], None, SHOW)
    session.settings = Settings(root=project, cache=False, options={"LL202": {"max_seconds": 1}})
    session.check([target], None, SHOW)
    assert calls[0] == 2


ACTIONS = [
    "s3:GetObject",
    "S3:getobject",
    "s3:Get*",
    "s3:*",
    "*",
    "dynamodb:GetItem",
    "dynamodb:Get?tem",
    "sqs:SendMessage",
    "kms:Decrypt",
    "ſ3:GetObject",  # non-ASCII: IGNORECASE matches it with `s3:`
    "s3:GETOBJECT",
    "logs:Create*Stream",
]


@pytest.mark.parametrize("start", range(0, len(ACTIONS), 3))
def test_ll504_matching_by_lookup_equals_matching_every_pair(start):
    from lambdalint.model.policy import action_matches
    from lambdalint.rules.cross import ll504_unused_iam_permission as ll504

    for size in range(len(ACTIONS)):
        used = set(ACTIONS[start : start + size])
        literal, others = ll504._split(used)
        for pattern in ACTIONS:
            expected = any(action_matches(pattern, a) or action_matches(a, pattern) for a in used)
            assert ll504._matches_any(pattern, literal, others) == expected, (pattern, used)
