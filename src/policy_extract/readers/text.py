"""Plain-text decoding: BOMs, UTF-8, UTF-16/32, GB18030 (GBK, GB2312) and Big5.

Order: BOM -> NUL bytes (UTF-16 without BOM, else binary) -> strict UTF-8 -> UTF-8 with a
few damaged sequences -> the legacy Chinese encodings scored against each other.

Legacy encodings cannot be told apart by validity: most Big5 byte pairs are valid GBK and
GB2312 pairs are valid Big5. They are told apart by what the decoded text looks like: the
share of its non-ASCII characters that are frequent Han characters (either script) or
CJK punctuation. Right decodings score ~0.8-0.95, wrong ones ~0.1-0.3.

Invalid UTF-8 inside an otherwise UTF-8 file (a damaged download, a file cut mid-char)
is decoded with U+FFFD and a warning naming the first byte offset: the rest of the text is
still worth extracting, and the warning reaches the normalization report. When the damage
is dense (more than 1 bad sequence per 50 non-ASCII characters) the file is not UTF-8.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from ..errors import BinaryInputError, EncodingError
from .limits import ENCODING_SAMPLE

# The ~1000 most frequent Han characters of modern Chinese (simplified; the traditional
# forms are added through OpenCC). General vocabulary of the language, not of a corpus.
_FREQUENT_SIMPLIFIED = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也"
    "能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实"
    "加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样"
    "与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情"
    "者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级"
    "少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色"
    "光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再"
    "采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马"
    "节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须"
    "际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准"
    "精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火"
    "住调满县局照参红细引听该铁价严首底液官德随病苏失尔死讲配女黄推显谈罪神艺呢席含企望密批营"
    "项防举球英氧势告李台落木帮轮破亚师围注远字材排供河态封另施减树溶怎止案言士均武固叶鱼波视"
    "仅费紧爱左章早朝害续轻服试食充兵源判护司足某练差致板田降黑犯负击范继兴似余坚曲输修故城夫"
    "够送笔船占右财吃富春职觉汉画功巴跟虽杂飞检吸助升阳互初创抗考投坏策古径换未跑留钢曾端责站"
    "简述钱副尽帝射草冲承独令限阿宣环双请超微让控州良轴找否纪益依优顶础载倒房突坐粉敌略客袁冷"
    "胜绝析块剂测丝协诉念陈仍罗盐友洋错苦夜刑移频逐靠混母短皮终聚汽村云哪既距卫停烈央察烧迅境"
    "若印洲刻括激孔搞甚室待核校散侵吧甲游久菜味旧模湖货损预阻毫普稳乙妈植息扩银语挥酒守拿序纸"
    "医缺雨吗针刘啊急唱误训愿审附获茶鲜粮斤孩脱硫肥善龙演父渐血欢械掌歌沙刚攻谓盾讨晚粒乱燃矛"
)
_PUNCTUATION = "，。、；：？！“”‘’（）《》【】—…·「」『』〈〉－％０１２３４５６７８９　"

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))

# Scored in this order; a tie keeps the earlier one (cp950 is Big5 as Windows writes it,
# big5hkscs adds the Hong Kong characters).
LEGACY_CANDIDATES = ("gb18030", "cp950", "big5hkscs")
# UTF-16 without BOM and without any ASCII has no NUL byte to betray it: scored as well.
UTF16_CANDIDATES = ("utf-16-le", "utf-16-be")
_FAMILY = {"gb18030": "gb", "cp950": "big5", "big5hkscs": "big5", "utf-16-le": "utf16",
           "utf-16-be": "utf16"}

UNSURE_SCORE = 0.5     # below this the best decoding is reported as a guess
UNSURE_MARGIN = 0.2    # or when the runner-up is this close
MIN_EVIDENCE = 20      # non-ASCII characters needed before a score means anything


@dataclass
class Decoded:
    text: str
    encoding: str
    confidence: float
    warnings: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _good_chars() -> "regex.Pattern":
    chars = set(_FREQUENT_SIMPLIFIED) | set(_PUNCTUATION)
    try:
        import opencc

        chars |= set(opencc.OpenCC("s2t").convert(_FREQUENT_SIMPLIFIED))
    except Exception:  # OpenCC is a dependency; without it only simplified text scores well
        pass
    return regex.compile("[" + regex.escape("".join(sorted(chars))) + "]")


_NON_ASCII = regex.compile(r"[^\x00-\x7f\s]")
# U+FFFD, C1 controls and private-use characters: what a wrong decoding produces.
_JUNK = regex.compile(r"[\ufffd\x80-\x9f\ue000-\uf8ff]")


def score(text: str) -> tuple[float, int]:
    """(share of non-ASCII characters that look like Chinese text, evidence count)."""
    n = len(_NON_ASCII.findall(text))
    if not n:
        return 0.0, 0
    good = len(_good_chars().findall(text))
    junk = len(_JUNK.findall(text))
    return max(0.0, (good - 4 * junk) / n), n


def decode_lenient(data: bytes, encoding: str, max_errors: int) -> tuple[str | None, list[int]]:
    """Decode, replacing bad sequences with U+FFFD; (None, offsets) past max_errors."""
    view = memoryview(data)
    out: list[str] = []
    bad: list[int] = []
    pos = 0
    while True:
        try:
            out.append(str(view[pos:], encoding))
            return "".join(out), bad
        except UnicodeDecodeError as exc:
            out.append(str(view[pos:pos + exc.start], encoding))
            out.append("\ufffd")
            bad.append(pos + exc.start)
            pos += max(exc.end, exc.start + 1)
            if len(bad) > max_errors:
                return None, bad


def _damage_warning(encoding: str, bad: list[int]) -> str:
    more = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
    return (f"invalid {encoding} at byte offset {bad[0]}{more}: "
            "replaced with U+FFFD")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 by the NUL pattern: ASCII in UTF-16 puts its NUL bytes on one parity."""
    sample = data[:ENCODING_SAMPLE]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    total = even + odd
    if len(data) % 2 or total < 2:
        return None
    if odd >= 0.8 * total:
        return "utf-16-le"
    if even >= 0.8 * total:
        return "utf-16-be"
    return None


_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _decode_utf16(data: bytes, encoding: str, confidence: float) -> Decoded | None:
    text, bad = decode_lenient(data, encoding, max_errors=max(1, len(data) // 2000))
    if text is None or len(_CONTROL.findall(text[:ENCODING_SAMPLE])) > 2:
        return None
    return Decoded(text, encoding, confidence, [_damage_warning(encoding, bad)] if bad else [])


def decode(data: bytes) -> Decoded:
    """Bytes of a text document to str; raises BinaryInputError / EncodingError."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            text, bad = decode_lenient(body, enc, max_errors=max(1, len(body) // 2000))
            if text is None:
                raise EncodingError(f"{enc} byte-order mark but the bytes are not {enc} "
                                    f"(first bad byte at offset {bad[0] + len(bom)})")
            name = "utf-8-sig" if enc == "utf-8" else enc
            return Decoded(text, name, 1.0, [_damage_warning(name, bad)] if bad else [])

    nul = data.find(b"\x00")
    if nul >= 0:
        enc = _utf16_without_bom(data)
        decoded = _decode_utf16(data, enc, 0.9) if enc else None
        if decoded is None:
            raise BinaryInputError(f"binary data (NUL byte at offset {nul}), not a text document")
        decoded.warnings.insert(0, f"no byte-order mark: {enc} detected by its NUL bytes")
        return decoded

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # A few GB/Big5 bytes can happen to form valid UTF-8 ("通知" in GBK reads as
        # "֪ͨ"); for short inputs make the UTF-8 reading prove itself.
        # (only short inputs: over a kilobyte, chance-valid UTF-8 does not happen)
        utf8_score, evidence = score(text) if len(data) < 1024 else (1.0, 0)
        if evidence == 0 or evidence >= 64 or utf8_score >= UNSURE_SCORE:
            return Decoded(text, "utf-8", 1.0)
        try:
            legacy = _decode_legacy(data)
        except EncodingError:
            return Decoded(text, "utf-8", 1.0)
        if legacy.confidence > utf8_score:
            return legacy
        return Decoded(text, "utf-8", round(utf8_score, 3),
                       [f"encoding unsure: guessed utf-8 (score {utf8_score:.2f}; "
                        f"{legacy.encoding} {legacy.confidence:.2f})"])
    # Mostly UTF-8 with a few damaged sequences? Judge a prefix first: legacy bytes fail
    # UTF-8 every few bytes, so dense damage shows at once.
    prefix, _ = decode_lenient(data[:ENCODING_SAMPLE], "utf-8", max_errors=1 + ENCODING_SAMPLE // 300)
    text, bad = (None, []) if prefix is None else decode_lenient(data, "utf-8", 1 + len(data) // 300)
    if text is not None and len(bad) * 50 <= len(_NON_ASCII.findall(text[:ENCODING_SAMPLE])):
        return Decoded(text, "utf-8", 0.9, [_damage_warning("utf-8", bad)])

    return _decode_legacy(data)


def _decode_legacy(data: bytes) -> Decoded:
    sample = data[:ENCODING_SAMPLE]
    scored = []
    candidates = LEGACY_CANDIDATES + (UTF16_CANDIDATES if len(data) % 2 == 0 else ())
    for enc in candidates:
        s, evidence = score(sample.decode(enc, errors="replace"))
        scored.append((s, enc, evidence))
    scored.sort(key=lambda item: -item[0])  # stable: ties keep candidate order
    best, enc, evidence = scored[0]
    # The margin that matters is against the other family: cp950 and big5hkscs agree.
    runner_up = next(item for item in scored if _FAMILY[item[1]] != _FAMILY[enc])
    text, bad = decode_lenient(data, enc, max_errors=max(8, len(data) // 1000))
    if text is None or best < 0.2:
        raise EncodingError("undecodable bytes: not UTF-8, UTF-16, GB18030 or Big5 "
                            f"(best guess {enc} scores {best:.2f})")
    warnings = []
    if best < UNSURE_SCORE or best - runner_up[0] < UNSURE_MARGIN or evidence < MIN_EVIDENCE:
        warnings.append(f"encoding unsure: guessed {enc} (score {best:.2f}; "
                        f"{runner_up[1]} {runner_up[0]:.2f})")
    if bad:
        warnings.append(_damage_warning(enc, bad))
    return Decoded(text, enc, round(best, 3), warnings)
