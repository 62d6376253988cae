"""Text from a parsed file made safe to hold, print and encode."""

from __future__ import annotations

import re

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """`\\ud800` escapes decode to lone surrogates, which no file, report or terminal can encode:
    each becomes U+FFFD, as a UTF-8 decoder would make of it."""
    if text.isascii():
        return text
    return _LONE_SURROGATE.sub("\ufffd", text)
