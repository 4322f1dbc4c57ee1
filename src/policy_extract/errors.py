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
