"""Readers: turn a file or bytes into document text (plain text for now)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from ..errors import BinaryInputError, EmptyInputError, EncodingError, NotFoundError, TooLargeError

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


@dataclass
class ReadResult:
    text: str
    reader: str
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


def read(source: Union[str, Path, bytes], max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read a path or bytes as text; raises an InputError subclass with a clear message."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise NotFoundError(f"{path}: no such file")
        if path.is_dir():
            raise NotFoundError(f"{path}: is a directory, not a file")
        size = path.stat().st_size
        if size > max_bytes:
            raise TooLargeError(f"{path}: {size} bytes is over the limit of {max_bytes} "
                                "(raise it with --max-bytes)")
        data = path.read_bytes()
    else:
        data = bytes(source)
    if not data.strip():
        raise EmptyInputError("empty document")
    if b"\x00" in data[:8192]:
        raise BinaryInputError("binary data (NUL bytes), not a text document")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return ReadResult(data.decode(enc), "text", enc)
        except UnicodeDecodeError:
            continue
    raise EncodingError("undecodable bytes: neither UTF-8 nor GB18030")
