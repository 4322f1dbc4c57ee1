"""normalize: memoized script detection."""


def test_script_memo_belongs_to_its_converter():
    """The per-converter memo of single-character conversions never passes to a later
    converter, even one that takes the freed one's place in memory."""
    from policy_extract.normalize import _changed_chars

    class Upper:
        def convert(self, s):
            return s.upper()

    class Same:
        def convert(self, s):
            return s

    for _ in range(20):
        assert _changed_chars({"a", "b", "\n"}, Upper()) == 2
        assert _changed_chars({"a", "b"}, Same()) == 0
