"""What a report was made from, as SHA-256 digests: a drawing (or review, layer) file, and a standard.

Its own small module so that a single check's report need not import the batch machinery to take them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os

from .files import MAX_DRAWING_BYTES, open_regular


def standard_digest(std) -> str:
    """SHA-256 of what a standard says (its rules after ``extends``, its kinds and texts), not where it lives."""
    fields = {k: v for k, v in dataclasses.asdict(std).items() if k not in ("path", "files")}
    blob = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def file_digest(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open_regular(path, MAX_DRAWING_BYTES) as f:  # never hash a FIFO or a device (a review or layer file too)
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
