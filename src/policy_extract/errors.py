"""Errors with one-line messages; the CLI prints them without a traceback."""


class PolicyExtractError(Exception):
    """Base class: every error the tool reports to users."""

    kind = "error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InputError(PolicyExtractError):
    """The input cannot be read as a document."""

    kind = "input"


class EmptyInputError(InputError):
    kind = "empty"


class BinaryInputError(InputError):
    kind = "binary"


class EncodingError(InputError):
    kind = "encoding"


class TooLargeError(InputError):
    kind = "too_large"


class NotFoundError(InputError):
    kind = "not_found"


class UnsupportedFormatError(InputError):
    """A known file type this tool does not read (legacy .doc, archives, ...)."""

    kind = "unsupported"


class ImageInputError(UnsupportedFormatError):
    """A picture, not a document: its text needs OCR."""

    kind = "image"


class CorruptInputError(InputError):
    """A DOCX/PDF/ZIP container that is truncated or damaged."""

    kind = "corrupt"


class ArchiveBombError(TooLargeError):
    """A ZIP whose declared uncompressed size or ratio is beyond the limits."""

    kind = "zip_bomb"


class NeedsOCRError(InputError):
    """A PDF without a text layer (scanned pages)."""

    kind = "needs_ocr"


class MissingDependencyError(InputError):
    """An optional reader whose library is not installed."""

    kind = "missing_dependency"
