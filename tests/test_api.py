"""The rule API's own helpers (lambdalint/api.py)."""

from __future__ import annotations

from lambdalint.api import Reach
from lambdalint.core.finding import Related
from lambdalint.core.span import NodeRef


def test_a_reach_gives_its_handler_as_the_related_location():
    ref = NodeRef("app.py", "FunctionDef", 3)
    reach = Reach("app.handler", ref, ("load()",))
    assert reach.related() == [Related(ref, "handler app.handler")]
    assert reach.describe() == "called from app.handler via load()"
