"""The normalization offset map: exact, monotonic, always inside the original."""
import unicodedata

import regex
from hypothesis import given, settings, strategies as st

from policy_extract.normalize import normalize
from policy_extract.offsets import OffsetMap, apply_edits, delete_spans
from policy_extract.resources import load_yaml

from conftest import corpus_text

# Text built from the pieces that normalization rewrites: traditional characters,
# romanization, line breaks, full-width forms, OpenCC phrases that change length.
_PIECES = st.sampled_from([
    "關", "(guān)", "于", "國", "(guó)", "\n", "\n\n", " ", "。", "，", "５", "Ａ", "　",
    "市政府", "萬元", "(Plan)", "(RBS)", "?", "??", "㈤", "a", "1", "“", "”", "乾隆", "著",
    "後", "臺", "開發區", "3月", "年底前", "\u3000", "ǎ", "(zhōng)", "(ā)", "\r\n",
])
_TEXT = st.one_of(st.text(max_size=200), st.lists(_PIECES, max_size=80).map("".join))


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_map_is_monotonic_and_inside_original(text):
    n = normalize(text)
    m = n.map
    assert m.norm_len == len(n.text) and m.orig_len == len(text)
    prev_s = prev_e = 0
    for i in range(len(n.text) + 1):
        s = m.start(i) if i < len(n.text) else len(text)
        e = m.end(i)
        assert 0 <= s <= len(text) and 0 <= e <= len(text)
        assert s >= prev_s and e >= prev_e
        prev_s, prev_e = s, e
    for i in range(len(n.text)):
        for j in range(i + 1, min(len(n.text), i + 6) + 1):
            s, e = n.to_orig(i, j)
            assert 0 <= s < e <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.data())
def test_apply_edits_maps_every_kept_character(src, data):
    # Random deletions and replacements: every copied character maps to itself.
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(src)), max_size=6))))
    edits = []
    for a, b in zip(cuts[::2], cuts[1::2]):
        edits.append((a, b, data.draw(st.sampled_from(["", "X", "YZ"])), False))
    out, m = apply_edits(src, edits)
    for i, ch in enumerate(out):
        s, e = m.span(i, i + 1)
        assert s < e or not src
        if ch not in "XYZ":
            assert src[s:e] == ch


@settings(max_examples=300, deadline=None)
@given(st.text("ab\n", max_size=30), st.data())
def test_delete_spans_is_apply_edits_of_deletions(src, data):
    # The fast path for deletions must give the very segments apply_edits() gives, cuts
    # at both ends of the text and touching cuts included.
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(src)), max_size=10))))
    spans = [(a, b) for a, b in zip(cuts, cuts[1:]) if data.draw(st.booleans())]
    out, m = delete_spans(src, spans)
    ref, rm = apply_edits(src, [(a, b, "", False) for a, b in spans])
    assert out == ref
    assert (m.segments(), m.norm_len, m.orig_len) == (rm.segments(), rm.norm_len, rm.orig_len)


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.data())
def test_spans_is_span_of_each_pair(text, data):
    # The batch lookup the pipeline uses must agree with span() everywhere, empty and
    # reversed spans and the end of the text included.
    m = normalize(text).map
    pos = st.integers(0, m.norm_len)
    pairs = data.draw(st.lists(st.tuples(pos, pos), max_size=20))
    assert m.spans(pairs) == [m.span(s, e) for s, e in pairs]


def test_romanization_removed_and_mapped_back():
    text = corpus_text("001")
    n = normalize(text)
    assert n.text.startswith("第一篇:关于开展创建全国科技进步先进城市情况汇报")
    i = n.text.index("国家科技部")
    s, e = n.to_orig(i, i + len("国家科技部"))
    assert text[s:e] == "國(guó)家科技部"
    assert n.report.romanization_removed > 1800
    assert n.report.script == "traditional"


_PINYIN = load_yaml("normalize/normalize.yaml")["pinyin"]
_LETTERS = "abcdefghijklmnopqrstuvwxyzü" + _PINYIN["tone_marks"]
_TABLE = regex.compile("(?:%s)?(?:%s)" % ("|".join(_PINYIN["initials"]),
                                          "|".join(_PINYIN["finals"])))


def _is_syllable(word):
    """The definition: a tone mark, and without its marks one syllable of the table."""
    bare = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    return any(c in _PINYIN["tone_marks"] for c in word) and _TABLE.fullmatch(bare) is not None


_TABLE_WORD = st.builds(lambda i, f, k, c: (i + f)[:k] + c + (i + f)[k + 1:],
                        st.sampled_from([""] + _PINYIN["initials"]),
                        st.sampled_from(_PINYIN["finals"]), st.integers(0, 5),
                        st.sampled_from(_LETTERS))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(_LETTERS, min_size=1, max_size=8), _TABLE_WORD),
                min_size=1, max_size=8))
def test_romanization_is_exactly_a_toned_syllable(words):
    # The compiled pattern matches the written forms; the table is defined on bare letters.
    text = "".join("关(%s)" % w for w in words) + "于"
    n = normalize(text)
    removed = [_is_syllable(w) for w in words]
    assert n.text == "".join("关" if r else "关(%s)" % w for w, r in zip(words, removed)) + "于"
    assert n.report.romanization_removed == sum(removed)


def test_romanization_lookalikes_are_kept():
    n = normalize("计划(Plan)、实施(Do)和监管(RBS)")
    assert n.text == "计划(Plan)、实施(Do)和监管(RBS)"


def test_line_broken_mid_sentence_is_joined():
    text = corpus_text("000")
    n = normalize(text)
    assert "对文明城市创建工作进行专题培训" in n.text
    i = n.text.index("工作进行")
    s, e = n.to_orig(i, i + 4)
    assert text[s:e] == "工作\n\n进行"
    # a short title line is not glued to the next one
    assert "成功的法宝\n" in n.text


def test_blanks_around_a_joined_break_go_with_it():
    line = "各级部门要加强组织领导,明确责任分工,细化工作措施,确保各项任务按期完成并取得实效"
    text = line + " \t\n \n  “十四五”期间。\n" + line + "。 \n第二行"
    n = normalize(text)
    assert n.text == line + "“十四五”期间。\n" + line + "。 \n第二行"
    assert n.report.lines_joined == 1
    i = n.text.index("实效“")
    assert n.to_orig(i, i + 3) == (i, len(line) + len(" \t\n \n  “"))


def test_length_changing_conversion_is_aligned():
    # OpenCC rewrites some phrases to a different length; build such a map by hand and
    # check composition keeps the block together.
    base = OffsetMap.identity(6)
    out, inner = apply_edits("abcdef", [(1, 3, "X", False)])  # "bc" -> "X"
    m = base.compose(inner)
    assert out == "aXdef"
    assert m.span(1, 2) == (1, 3)
    assert m.span(0, 3) == (0, 4)


def test_mojibake_reported_not_repaired():
    text = corpus_text("001")
    n = normalize(text)
    spans = [(s.start, s.text) for s in n.report.mojibake]
    assert (5055, "??") in spans
    assert any(t == "㈤" for _, t in spans)
    assert "??" in n.text  # left in place


def test_question_after_question_word_is_not_mojibake():
    n = normalize("为什么要创建这一体系?体系创建的重点是什么?")
    assert n.report.mojibake == []


def test_fullwidth_folded():
    n = normalize("补助５０万元，ＡＢ")
    assert n.text == "补助50万元,AB"
    assert n.report.fullwidth_folded == 5
    every = "".join(map(chr, range(0xFF01, 0xFF5F))) + "\u3000"
    n = normalize(every + every)
    assert n.text == ("".join(map(chr, range(0x21, 0x7F))) + " ") * 2
    assert n.report.fullwidth_folded == 2 * 95
    # forms found again after later ones were folded, each counted once per occurrence
    n = normalize("Ａ，Ｂ，Ａ（１）　１")
    assert n.text == "A,B,A(1) 1"
    assert n.report.fullwidth_folded == 10
