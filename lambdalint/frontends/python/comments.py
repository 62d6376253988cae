"""Suppression directives in a Python file's comments."""

from __future__ import annotations

import io
import tokenize

from lambdalint.core.directive import Directive, parse_comment


def python_directives(text: str, path: str) -> list[Directive]:
    if "lambdalint" not in text:
        return []
    directives = []
    lines = text.splitlines()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.COMMENT or "lambdalint" not in token.string:
                continue
            row, column = token.start
            own_line = not lines[row - 1][:column].strip()
            directive = parse_comment(token.string, path, row, column + 1, own_line)
            if directive is not None:
                directives.append(directive)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # the parser reports the file; no directive can hide that
    return directives
