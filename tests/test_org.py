"""org mentions and the jieba window API (segment.py): real corpus names with their gold
offsets, coordination splitting, left edges, and names that are not organizations."""
import pytest

from conftest import corpus_text, gold
from policy_extract import segment
from policy_extract.extractors.org import find
from policy_extract.pipeline import run


@pytest.fixture(scope="module")
def orgs():
    """Predicted org spans per corpus document, original offsets."""
    out = {}
    for name in ("000", "002", "004"):
        doc = run(corpus_text(name), extractors=("doc_number", "phone", "org"), linkers=())
        out[name] = {(m.start, m.end): m.text for m in doc.mentions if m.type == "org"}
    return out


@pytest.mark.parametrize("doc,start,end,text", [
    ("000", 121, 127, "临沂市文明办"),            # left edge after 邀请, before 副调研员
    ("000", 234, 241, "聊城市委宣传部"),          # not split at 市委, stops before 副部长
    ("000", 1465, 1471, "中共山东省委"),
    ("000", 2437, 2451, "县(市、区)人才工作领导小组"),  # parenthesized part inside
    ("000", 2569, 2573, "市人社局"),              # 经市人社局、…: the preposition stays out
    ("004", 1346, 1348, "市委"),                  # 市委市政府 -> two units
    ("004", 1348, 1351, "市政府"),
    ("004", 2302, 2307, "妹冢镇党委"),            # 妹冢镇党委政府 -> two units
    ("004", 2307, 2309, "政府"),
    ("004", 1466, 1471, "各级各部门"),
    ("002", 695, 708, "濰坊市技工教育聯盟(集團)"),
    ("002", 3296, 3299, "縣市區"),                # a place beside a unit, in a coordination
    ("002", 3300, 3310, "市屬開發區黨(工)委"),
    ("002", 3718, 3723, "每個縣市區"),            # a place after a collective word
    ("002", 9557, 9565, "市直部門(單位)"),
])
def test_gold_names_exact(orgs, doc, start, end, text):
    assert orgs[doc].get((start, end)) == text


def test_recall_against_gold(orgs):
    # relaxed recall of the gold org mentions of three documents (a regression guard)
    hit = total = 0
    for name in ("000", "002", "004"):
        spans = list(orgs[name])
        for m in gold(name)["mentions"]:
            if m["type"] != "org":
                continue
            total += 1
            hit += any(s < m["end"] and m["start"] < e for s, e in spans)
    assert hit / total >= 0.9


def _names(text):
    return [text[s:e] for s, e in find(text)]


@pytest.mark.parametrize("text,want", [
    ("由市发展改革委牵头,市财政局、市自然资源和规划局配合。",
     ["市发展改革委", "市财政局", "市自然资源和规划局"]),
    ("中共中央办公厅、国务院办公厅印发了《关于加强人才工作的意见》。",
     ["中共中央办公厅", "国务院办公厅"]),
    ("牵头单位:市卫生健康委;配合单位:各县(市、区)人民政府",
     ["牵头单位", "市卫生健康委", "各县(市、区)人民政府"]),
    ("区委区政府高度重视,县委办公室、县政府办公室联合印发通知。",
     ["区委", "区政府", "县委办公室", "县政府办公室"]),
    ("中国人民银行聊城市中心支行、建行攸县支行积极参与。",
     ["中国人民银行聊城市中心支行", "建行攸县支行"]),
    ("经研究,决定成立市优化营商环境工作领导小组,领导小组办公室设在市发展改革委。",
     ["市优化营商环境工作领导小组", "领导小组办公室", "市发展改革委"]),
    ("我局四次与铁道部沟通", ["我局", "铁道部"]),
    ("传达了聊城市委书记的讲话", ["聊城市委"]),             # unit glued to a title
    ("落实党委、政府第一把手责任", ["党委", "政府"]),         # bare bodies, coordinated
    ("牵头单位:市工业和信息化局;责任单位:市住房和城乡建设局",     # 和 inside standard names
     ["牵头单位", "市工业和信息化局", "责任单位", "市住房和城乡建设局"]),
    ("团市委、市妇联、聊城海关联合开展", ["团市委", "市妇联", "聊城海关"]),
    ("与山东大学、中国科学院合作共建研究院", ["山东大学", "中国科学院"]),  # unit as subject
    ("由市发改委市信用办负责", ["市发改委", "市信用办"]),     # second unit with its own 市
    ("莘县十八里铺镇召开会议", ["莘县十八里铺镇"]),         # a numeral inside a place name
    ("启动申报山东海洋技术大学,成立", ["山东海洋技术大学"]),  # governing verbs before a place
    ("每项攻坚任务牵头单位通过新闻媒体公布", ["攻坚任务牵头单位"]),
    ("全市有10个县(市、区)通过验收", []),                    # a count of places, no actor
])
def test_hard_cases(text, want):
    assert _names(text) == want


@pytest.mark.parametrize("text", [
    "在全市范围内开展,聊城市位于山东省西部。",      # places, not actors
    "形成新的发展格局,全部干部参加。",              # 格局, 全部, 干部: no units
    "定期举办培训,严肃查处违规行为。",
    "新认定的重点实验室、工程技术研究中心、院士工作站",  # platforms
    "印发《聊城市人民政府办公室关于加强管理的通知》",   # inside a title
    "推行“党工委(管委会)+”模式",                  # a formula in quotes
    "全力营造政府鼓励创业的环境",
    "加强学校管理,纳入信息系统",
    "建设市全民健身中心、国际足球学校、电子竞技学院",   # facilities being built
    "在县城建设一处文化中心",
])
def test_not_orgs(text):
    assert _names(text) == []


def test_segment_window_and_left_edges():
    assert segment._cut("经市人社局审定") == ["经市", "人社局", "审定"]
    # the left edge of a name ending at the end of the text
    assert _names("邀请临沂市文明办") == ["临沂市文明办"]
    assert _names("经市人社局") == ["市人社局"]  # 经市 glued by jieba
    assert _names("推动高新区建立工作指导委员会") == ["工作指导委员会"]


@pytest.mark.parametrize("text,want", [
    ("落实一把手责任", []),
    ("增强四个意识", []),
    ("守住三区三线", []),
    ("打造一站式服务", []),
    ("共有三个方面", ["三个"]),
    ("新增10家企业", ["10家"]),
])
def test_set_phrases_are_no_quantities(text, want):
    # numerals inside set phrases name rather than count (quantity's set-phrase rules)
    from policy_extract import extract

    assert [m.text for m in extract(text).mentions if m.type == "quantity"] == want


def test_dense_suffixes_without_punctuation_finish():
    # not prose: suffix characters with no punctuation; the jieba budget bounds the work
    import random
    import time

    rng = random.Random(7)
    chars = "市科技局委办部处组县区镇乡政府中心公司的在和了是为对与经由各级有关部门单位"
    text = "".join(rng.choice(chars) for _ in range(30000))
    t0 = time.process_time()
    spans = find(text)
    assert time.process_time() - t0 < 15
    assert all(0 <= s < e <= len(text) for s, e in spans)


@pytest.mark.parametrize("text,want", [
    # names longer than the first short window: the cut is widened to the clause
    ("经研究同意由聊城经济技术开发区管委会负责", ["聊城经济技术开发区管委会"]),
    ("积极对接北京大学现代农业研究院开展合作", ["北京大学现代农业研究院"]),
    ("并经县(市、区)人才工作领导小组备案后", ["县(市、区)人才工作领导小组"]),  # bracket left
    ("高新区建立“双城”共建工作指导委员会", ["高新区", "“双城”共建工作指导委员会"]),
])
def test_long_names_widen_the_window(text, want):
    assert _names(text) == want


def test_no_jieba_without_a_suffix():
    # start-up cost is paid only by documents that hold an organization suffix
    import subprocess
    import sys

    code = ("import sys; from policy_extract.extractors.org import find; "
            "assert find('2020年3月1日前完成培训,资金100万元。') == []; "
            "print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_compact_table_cached_and_rebuilt(tmp_path, monkeypatch):
    import tempfile

    jieba = segment._import_jieba()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    freq, total, tags = segment._load_table(jieba)
    files = list((tmp_path / "cache" / "policy_extract").glob("*.marshal"))
    assert [f.name.split("-")[:3] for f in files] == [
        ["policy_extract", "jieba", jieba.__version__]]
    assert segment._load_table(jieba)[1] == total          # read back from the cache
    files[0].write_bytes(b"\x00truncated")                # a damaged file is rebuilt
    assert segment._load_table(jieba)[1] == total
    assert files[0].stat().st_size > 1_000_000
    assert tags["人社局"] == "nt" and freq["人社局"] == 3000   # user dictionary merged
    assert freq["政府"] > 0 and "政府" not in tags            # plain nouns carry no tag
    assert "聊城" in freq                                      # places stay
    # nowhere to write (a file where the directory should be): built in memory, same table
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(tempfile, "tempdir", str(blocker))
    assert segment._load_table(jieba)[1] == total


def test_own_cut_equals_jieba():
    # segment._cut replaces jieba's Tokenizer.cut for speed: same words on every window
    # of real text (names, digits, brackets, line breaks, unknown runs for the HMM)
    from policy_extract.normalize import normalize

    base, _ = segment._posseg()
    text = normalize(corpus_text("002") + corpus_text("004")).text
    windows = [text[i:i + n] for i in range(0, len(text) - 30, 7) for n in (3, 11, 24)]
    windows += ["", " ", "市委 市政府\r\n", "莘县妹冢镇党委政府", "SMT加工中心3.5%", "中心--"]
    assert [segment._cut(w) for w in windows] == [list(base.cut(w, HMM=True))
                                                 for w in windows]
    assert segment._cut("经市人社局审定") == ["经市", "人社局", "审定"]
    # its HMM for runs of unknown characters equals jieba.finalseg's
    from jieba import finalseg

    runs = [text[i:i + n] for i in range(0, len(text) - 12, 5) for n in (2, 5, 12)]
    assert [segment._hmm(r) for r in runs] == [tuple(finalseg.cut(r)) for r in runs]


def test_responsibility_label_before_a_colon_is_no_unit():
    from policy_extract import extract

    text = "推进重点任务。(责任单位:市人社局、市财政局)申报单位对申报材料负责。"
    got = [(m.text, m.start) for m in extract(text).mentions if m.type == "org"]
    assert got == [("市人社局", 13), ("市财政局", 18), ("申报单位", 23)]


@pytest.mark.parametrize("text", [
    "加大政府投资力度",            # a modifier follows the head (政府投资)
    "新认定省级工程技术研究中心",   # a facility, no building verb before it
    "引导金融机构支持实体经济",     # 机构 without a collective word before it
])
def test_rejected_without_a_cut(monkeypatch, text):
    # rules that read no word reject these anchors before jieba cuts their window
    from policy_extract.extractors import org

    cut, spans = [], segment.window_spans
    monkeypatch.setattr(org.segment, "window_spans", lambda t: cut.append(t) or spans(t))
    assert find(text) == [] and cut == []


def test_window_cut_only_when_read(monkeypatch):
    # the window opened for a rejected anchor (机构, no collective word) is cut only when
    # the next anchor in it (财政局) is read: the same window as without the rejection
    from policy_extract.extractors import org

    cut, spans = [], segment.window_spans
    monkeypatch.setattr(org.segment, "window_spans", lambda t: cut.append(t) or spans(t))
    assert _names("引导金融机构和市财政局") == ["市财政局"]
    assert cut[0] == "引导金融机构和市财政局"


def test_trie_pattern_matches_longest_suffix_first():
    # the anchor regex is a trie of the suffixes: same matches as their alternation
    # longest first, each suffix with its own lookahead
    import random
    import re

    from policy_extract.extractors.org import _trie_pattern

    words = ["委", "委员会", "员会", "局", "部", "部门", "中心", "中队", "区", "开发区", "发区"]
    tail = {w: "" for w in words}
    tail.update({"局": "(?![面长])", "区": "(?=[、(])", "部门": "(?!口)"})
    flat = re.compile("|".join(re.escape(w) + tail[w]
                               for w in sorted(words, key=len, reverse=True)))
    trie = re.compile(_trie_pattern(words, tail))
    rng = random.Random(3)
    for _ in range(3000):
        t = "".join(rng.choice("委员会局部门口中心队区开发面长、(x") for _ in range(30))
        assert [m.span() for m in trie.finditer(t)] == [m.span() for m in flat.finditer(t)]


def test_backward_class_match_ends_after_the_last_one():
    # _LAST_SEP / _LAST_HARD are greedy stdlib matches standing in for reverse searches
    import random

    from policy_extract.extractors.org import _HARD, _LAST_HARD, _LAST_SEP, _SEP

    rng = random.Random(5)
    for _ in range(2000):
        t = "".join(rng.choice("市委会,。“”()、 \nab1") for _ in range(20))
        lo, hi = sorted(rng.sample(range(21), 2))
        seps = [i for i in range(lo, hi) if _SEP.match(t, i)]
        hard = [i for i in range(lo, hi) if t[i] in _HARD]
        m, h = _LAST_SEP.match(t, lo, hi), _LAST_HARD.match(t, lo, hi)
        assert (m.end() - 1 if m else None) == (seps[-1] if seps else None)
        assert (h.end() - 1 if h else None) == (hard[-1] if hard else None)


def test_non_unit_word_check_by_anchor_word():
    # the pre-cut check through _neg_at_anchor gives what a lookup of the non-unit
    # words ending at the anchor's end gives, on every anchor of a corpus document
    from policy_extract.extractors.org import _NEG_BACK, _cfg, _ending_in

    from policy_extract.normalize import normalize

    cfg = _cfg()
    text = normalize(corpus_text("002")).text
    seen = 0
    for m in cfg["anchor"].finditer(text):
        ms, e = m.span()
        neg = cfg["neg_at_anchor"][text[ms:e]]
        fast = neg is True or any(n <= e and text[e - n:e] in cfg["neg_words"] for n in neg)
        full = _ending_in(text[max(0, e - _NEG_BACK):e], cfg["neg_words"], cfg["neg_lengths"])
        assert fast == bool(full), text[ms - 4:e]
        seen += fast
    assert seen > 10


def test_ends_inside_titles():
    import random

    from policy_extract.extractors.org import _ends_inside

    rng = random.Random(7)
    for _ in range(300):
        cuts = sorted(rng.sample(range(200), 10))
        spans = list(zip(cuts[::2], cuts[1::2]))
        anchors = sorted((e - rng.randint(1, 3), e) for e in rng.sample(range(3, 200), 30))
        want = {e for _, e in anchors if any(s < e <= t for s, t in spans)}
        assert _ends_inside(spans, anchors) == want
