"""Reading a file a repository hands us, which may be anything: a FIFO, a device, a symlink to
`/proc/self/environ`, a file growing while we read it. Only regular files inside the project are
read, never more than the limit, and opening never blocks."""

from __future__ import annotations

import os
import stat
from pathlib import Path

# A FIFO opened without O_NONBLOCK waits for a writer forever.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_CHUNK = 1 << 16


class TooLarge(Exception):
    def __init__(self, size: int):
        super().__init__(size)
        self.size = size


def read_regular(path: Path, limit: int, head: bool = False) -> bytes:
    """The bytes of a regular file, at most `limit` of them (its first `limit` with `head`).

    Raises OSError when it cannot be opened or is not a regular file (errno 0), TooLarge when
    more than `limit` bytes were read (counted as read: `st_size` can lie)."""
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(0, "not a regular file (a device, FIFO or socket)", str(path))
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(descriptor, min(_CHUNK, limit + 1 - size))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                if head:
                    return b"".join(chunks)[:limit]
                raise TooLarge(size)
    finally:
        os.close(descriptor)


def leaves(path: Path, root: Path) -> bool:
    """Whether `path`, its symlinks followed, lies outside `root` (its symlinks followed too)."""
    target = os.path.realpath(path)
    top = os.path.realpath(root)
    return not (target == top or target.startswith(top.rstrip(os.sep) + os.sep))


DISPLAY_LIMIT = 16 * 1024 * 1024


def read_for_display(path: str) -> bytes | None:
    """A file's bytes for a code frame, or None: never a symlink that leaves the working
    directory (`env.py -> /proc/self/environ` must not print the environment), never a device or
    FIFO, never a file holding NUL bytes."""
    if os.path.islink(path) and leaves(Path(path), Path.cwd()):
        return None
    try:
        data = read_regular(Path(path), DISPLAY_LIMIT)
    except (OSError, TooLarge):
        return None
    return None if b"\0" in data else data
