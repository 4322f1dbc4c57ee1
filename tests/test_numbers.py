"""policy_extract.numbers: numeral parsing, fractions, qualifiers, numeral runs."""
import pytest

from policy_extract.numbers import is_bare, parse_fraction, parse_numeral, qualifier


@pytest.mark.parametrize("text,value", [
    ("一千二百", 1200), ("两万三千", 23000), ("5.7万", 57000), ("1.2亿", 1.2e8),
    ("壹佰伍拾", 150), ("肆佰陸拾", 460), ("貳拾", 20), ("一千零一", 1001),
    ("1万5千", 15000), ("3万4000", 34000), ("1千零20", 1020), ("2千零30万", 2.03e7),
    ("4.78万亿", 4.78e12), ("10万万", 1e9), ("四万万", 4e8), ("二十一万亿", 2.1e13),
    ("一万五千亿", 1.5e12), ("四十五亿四千零四万", 4540040000), ("五亿零六", 500000006),
    ("三点五", 3.5), ("两千万点五五四四", 20000000.5544), ("零点五", 0.5),
    ("两千四百五", 2450), ("一万三", 13000), ("九十二万四", 924000), ("千三", 1300),
    ("一百零十万", 1100000), ("零十", 10), ("半百", 50), ("百亿", 1e10), ("百", 100),
    ("1,050,000,000", 1.05e9), ("10,000.233", 10000.233), (".5", 0.5),
    ("2400多万", 2.4e7), ("二十几万", 2e5), ("12万余", 1.2e5), ("二〇二〇", 2020),
    ("负3.9", -3.9),
])
def test_parse_numeral(text, value):
    assert parse_numeral(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "12319二", "点", "1.2.3", "十三五", "千多七", ",5", ".",
                                  "5.."])
def test_parse_numeral_rejects(text):
    assert parse_numeral(text) is None


@pytest.mark.parametrize("den,num,pct", [
    ("三", "二", 66.6666666667), ("百", "八十", 80), ("千", "五", 0.5),
    ("百", "百", 100), ("万万", "七", 7e-6), ("百万万", "七", 7e-8), ("3", "2", 66.6666666667),
])
def test_parse_fraction(den, num, pct):
    assert parse_fraction(den, num) == pytest.approx(pct)


@pytest.mark.parametrize("text", ["62", "0.5", ".5", "1,000", "1,050,000,000", "10,000.233", "12,",
                                  "-3.5", "007", "9" * 400])
def test_plain_arabic_fast_path_reads_like_the_numeral_reader(text):
    # Plain Arabic numbers skip the Chinese-numeral reader: the value must be the same.
    from policy_extract.numbers import _parse_integer
    neg = text.startswith("-")
    want = _parse_integer.__wrapped__(text.lstrip("-"))
    assert parse_numeral(text) == (-want if neg else want)


def test_is_bare():
    assert is_bare("亿") and is_bare("百亿") and not is_bare("十") and not is_bare("1亿")


@pytest.mark.parametrize("text,span,qual", [
    ("给予最高不超过30万元的补助", (7, 12), "max"),
    ("不超过5家", (3, 5), "max"),
    ("超过5家", (2, 4), "min"),
    ("不低于3万人", (3, 6), "min"),
    ("至少开展2次", (4, 6), "min"),
    ("最高给予50万元", (4, 9), "max"),
    ("年薪10万元以上的", (2, 6), "min"),
    ("控制在49微克/立方米以内", (3, 11), "max"),
    ("约400万元", (1, 6), "approx"),
    ("近400万元", (1, 6), "approx"),
    ("400万元左右", (0, 5), "approx"),
    ("通过3家企业", (2, 4), "exact"),     # 通过 is "through", not "over"
    ("最近3年", (2, 4), "exact"),
    ("2400多万元", (0, 7), "exact"),       # vague places are the caller's business
    ("收入500万元(含)以上", (2, 7), "min"),
    ("最高可获得50万元", (5, 10), "max"),
    ("不足100人", (2, 6), "max"),
    ("合格率≥90%", (4, 7), "min"),
    ("浓度<=35", (4, 6), "max"),
])
def test_qualifier(text, span, qual):
    assert qualifier(text, *span) == qual


@pytest.mark.parametrize("text", [
    "10-20万元", "10万元至20万元", "10%-20%", "10% ~ 20%", "1.5—2亿元", "一至两个", "3.5点-4点",
    "五到十人", "2,000-3,000元", "12万余-15万元", "10.-20元", "1" * 40 + "-2元", "10万 元", "半百-百人"])
def test_range_guard_keeps_the_matches(text):
    # measure_pattern looks ahead for a dash before it reads a range's lower numeral; the
    # look must hold wherever the range part matches, so matches are as without it.
    import regex

    from policy_extract.numbers import _NUMERAL_CHARS, RANGE_DASH, measure_pattern

    units = "元|万元|亿元|人|个|%|点"
    for lo_units in ("", r"%|‰", units):
        p = measure_pattern(units, lo_units=lo_units)
        guard = rf"(?=[{_NUMERAL_CHARS}]{{1,32}}(?:{lo_units})? ?{RANGE_DASH})"
        with_guard, without = regex.compile(p), regex.compile(p.replace(guard, ""))
        assert with_guard.pattern != without.pattern
        for s in range(len(text)):
            a, b = with_guard.match(text, s), without.match(text, s)
            assert (a and a.regs) == (b and b.regs)


@pytest.mark.parametrize("pattern,chars", [
    ("abc", "a"), ("a|b", "ab"), ("(?:ab|cd)e", "ac"), ("[xyz]+q", "xyz"), ("(?<=x)y", "y"),
    ("(?<![ab])c|(?:d|e)f", "cde"), ("x(?=y)", "x"), ("a{1,2}", "a"),
    ("[^x]a", None), ("a?b", None), (r"\da", None), ("a{0,2}", None), ("(?:a|b)?c", None),
    ("[a-c]", None), (".a", None), ("(?i)a", None), ("a|", None), ("a*", None), ("(?P<n>a)", None),
    (r"(?:[\])])?x", None), (r"(?:[)\]]|y)z", None), ("[]x]", None), ("(?:ab", None),
    (r"(?<=[\])])q", "q"),
])
def test_pattern_first_chars(pattern, chars):
    from policy_extract.numbers import pattern_first_chars

    assert pattern_first_chars(pattern) == (None if chars is None else frozenset(chars))


def test_first_char_checks_skip_only_what_cannot_match():
    # qualifier_before and the set-phrase check skip their regex when no character that
    # could start a match is there: on every corpus position the answer is unchanged.
    from conftest import corpus_text
    from policy_extract import numbers as N
    from policy_extract.extractors import quantity as Q

    assert N._BEFORE_FIRST and Q._SET_FIRST
    for name in ("000", "001", "002", "003", "004"):
        text = corpus_text(name)
        for s in range(1, len(text)):
            m = N._BEFORE.search(text, max(0, s - 10), s)
            assert N.qualifier_before(text, s) == (N._kind(m) if m else None)
            if text[s] not in Q._SET_FIRST:
                assert Q._SET_PHRASES.match(text, s) is None


def test_stdlib_compiled_patterns_match_as_regex_does():
    # The measure patterns run on the standard library's engine (compile_pattern): at
    # every position of the corpus and of hard strings, `regex` finds the same groups.
    import regex

    from conftest import corpus_text
    from policy_extract import numbers as N
    from policy_extract.extractors import amount as A
    from policy_extract.extractors import quantity as Q
    from policy_extract.normalize import normalize

    hard = ("占全市的2/3，占 12345678 1/2，占一二三四五六七八九1/2 三分之二 10%-20% 10万元至20万元 "
            "30万千瓦 1万5千米 数万名 几十家 负3% -2% 三成半 500万的资金 2400多万 12万余-15万 "
            "5 家 1,000,000人 两三个 半百 " + "1" * 40 + "人")
    texts = [hard] + [normalize(corpus_text(n)).text for n in ("000", "002")]
    for fast in (Q._PATTERN, A._MONEY, A._IMPLIED, N._NUMERAL_RE):
        slow = regex.compile(fast.pattern)
        assert type(fast) is not type(slow)
        for text in texts:
            for s in range(len(text)):
                a, b = fast.match(text, s), slow.match(text, s)
                assert (a and a.regs) == (b and b.regs), (fast.pattern[:40], text[s:s + 20])


def test_compile_pattern_falls_back_to_regex_where_re_cannot_read(monkeypatch):
    # Before Python 3.11 the standard library reads no possessive quantifier (NUMERAL's
    # {0,31}+): compile_pattern must then hand the source to `regex`, which matches alike.
    import re
    import types

    import regex

    from policy_extract import numbers as N
    from policy_extract.extractors import quantity as Q

    def old_re_compile(source):
        raise re.error("multiple repeat")

    monkeypatch.setattr(N, "re", types.SimpleNamespace(compile=old_re_compile, error=re.error))
    slow = N.compile_pattern(Q._PATTERN.pattern)
    assert isinstance(slow, regex.Pattern)
    text = "占全市的2/3，10%-20% 30万千瓦 1万5千米 数万名 三成半 负3% 1,000,000人"
    for s in range(len(text)):
        a, b = Q._PATTERN.match(text, s), slow.match(text, s)
        assert (a and a.regs) == (b and b.regs)
    assert slow.match(text, 8).group("unit") == "%" and slow.match(text, 8).span() == (8, 15)
    # A pattern only `regex` reads (a variable-width lookbehind) falls back for real.
    monkeypatch.undo()
    vw = N.compile_pattern("(?<=ab|c)d")
    assert isinstance(vw, regex.Pattern) and vw.search("xabd").span() == (3, 4)
