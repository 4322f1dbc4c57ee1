"""Resource limits of the readers; all are plain constants so a caller can see them.

The byte limit is the only one a user raises (--max-bytes); the others guard against
containers built to exhaust memory (zip bombs, absurd nesting) rather than real documents.
Inputs are refused, not streamed: every later stage needs the whole text (offsets, report
parts, sections), so a file over the limit is rejected from its size before any byte is
read (a 200 MB file costs one stat()). A 50 MB text is under the default and is read whole;
the test suite checks the limit rather than timing a 50 MB extraction.
"""
from __future__ import annotations

from ..errors import TooLargeError

# Largest input accepted by default (the CLI's --max-bytes overrides it). A real policy
# document is well under 1 MB; 64 MB leaves room for compilations and scanned DOCX images.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

# DOCX: sum of the uncompressed sizes declared in the ZIP central directory, and the
# largest compression ratio tolerated once the archive is bigger than ZIP_RATIO_FLOOR.
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 10 * 1024 * 1024
ZIP_MAX_MEMBERS = 10_000

# PDF: pages read. A few KB of PDF can repeat one page object 100k times.
PDF_MAX_PAGES = 5000

# HTML: open elements tracked; deeper nesting is flattened (text kept, structure not).
HTML_MAX_DEPTH = 512

# Bytes sampled to score candidate encodings (the winner decodes the whole input).
ENCODING_SAMPLE = 32 * 1024


def check_size(size: int, max_bytes: int, what: str = "input") -> None:
    if size > max_bytes:
        raise TooLargeError(f"{what} is {size} bytes, over the limit of {max_bytes} bytes "
                            "(raise it with --max-bytes)")
