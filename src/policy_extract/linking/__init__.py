"""Linkers: document structure, tasks and subsidies built on top of the mentions."""
import regex

CLAUSE_END = regex.compile(r"[,;。!?:\n]")
_CLAUSE_END_BACK = regex.compile(r"[,;。!?:\n]", flags=regex.REVERSE)
MAX_CLAUSE = 300  # a sentence or clause without punctuation longer than this is cut


def clause_start(text: str, pos: int, lo: int) -> int:
    """Start of the clause holding `pos`, not before `lo`."""
    lo = max(lo, pos - MAX_CLAUSE)  # unpunctuated text
    b = _CLAUSE_END_BACK.search(text, lo, pos)
    return b.end() if b else lo


def clause_end(text: str, pos: int, hi: int) -> int:
    """End of the clause holding `pos`, not after `hi`."""
    hi = min(hi, pos + MAX_CLAUSE)
    m = CLAUSE_END.search(text, pos, hi)
    return m.start() if m else hi
