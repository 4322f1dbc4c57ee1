"""Tasks: which items are tasks, their ids, deadlines, units, targets and milestones."""
import datetime as dt
from collections import defaultdict
from bisect import bisect_left

from conftest import corpus_text, gold
from policy_extract import extract, pipeline
from policy_extract.evaluate import Tally, score_document
from policy_extract.pipeline import Candidate

NOTES = ("一、重点任务\n"
         "1.深化资源环境领域改革。4月底前出台实施意见，10月底前完成分类分档，年底前落实评价结果运用。"
         "（市发展改革委牵头，市财政局配合）\n"
         "2.推进标准地改革。由市科技局负责，年内完成试点。\n"
         "3.加强质量监管。全年抽检不少于500批次。\n"
         "4.规范市场秩序。开展专项整治。\n"
         "〔责任单位：省发展改革委、省市场监管局〕\n"
         "二、保障措施\n"
         "5.强化督查。每季度通报1次。（牵头单位：市政府办公室；责任单位：督查室、各县市区政府）\n")


def texts(spans):
    return [s.text for s in spans]


def test_responsibility_notes_in_their_common_forms():
    d = extract(NOTES, reference_date="2020-03-25")
    t = {x.id: x for x in d.tasks}
    assert list(t) == ["1", "2", "3", "4", "5"]
    # trailing (A牵头,B配合)
    assert texts(t["1"].lead_units) == ["市发展改革委"] and texts(t["1"].units) == ["市财政局"]
    # a note on its own line covers the items since the last note; 由X负责 is a unit
    assert texts(t["2"].units) == ["市科技局", "省发展改革委", "省市场监管局"]
    assert texts(t["3"].units) == texts(t["4"].units) == ["省发展改革委", "省市场监管局"]
    # labelled parts; 督查室 is no org mention but the note's own list names it
    assert texts(t["5"].lead_units) == ["市政府办公室"]
    assert texts(t["5"].units) == ["督查室", "各县市区政府"]
    for x in d.tasks:
        for s in x.lead_units + x.units:
            assert NOTES[s.start:s.end] == s.text
    # milestones: one per scheduling clause
    ms = t["1"].milestones
    assert [(m.deadline.text, m.action) for m in ms] == [
        ("4月底前", "出台实施意见"), ("10月底前", "完成分类分档"), ("年底前", "落实评价结果运用")]
    assert NOTES[ms[1].start:ms[1].end] == "完成分类分档"
    assert texts(t["3"].targets) == ["500批次"]


def test_002_tasks_are_the_numbered_items():
    text = corpus_text("002")
    d = extract(text, reference_date="2020-03-25")
    assert [t.id for t in d.tasks] == [t["id"] for t in gold("002")["tasks"]]
    t = {x.id: x for x in d.tasks}
    assert t["12"].title == "深化資源環境領域改革" and t["12"].line == 7
    assert text[t["12"].start:t["12"].start + 3] == "12."
    assert t["12"].end == t["13"].start
    assert t["15"].section == "一.(三)"
    assert texts(t["45"].lead_units) == ["市委", "市政府"]
    assert texts(t["48"].lead_units) == ["市人大常委會", "市政協"]
    # 5萬噸級航道 names a class of channel, not a goal
    assert "5萬噸" not in texts(t["21"].targets)
    # 5年以上信訪積案 qualifies cases; it schedules nothing
    assert texts(t["40"].deadlines) == ["年底前", "年底前"]
    # "年底前,歷史遺留…治理率達到60%": a deadline standing alone governs the next clause
    assert [(m.deadline.text, m.action) for m in t["29"].milestones] == [
        ("年底前", "歷史遺留礦山地質環境治理率達到60%"), ("年底前", "全市完成國土綠化12萬畝")]


def test_reports_are_no_tasks_but_their_plan_section_is():
    d = extract(corpus_text("001"), reference_date="2003-03-01")
    assert [(t.id, t.line) for t in d.tasks] == [("1", 11), ("2", 13), ("3", 15), ("4", 17)]
    # 請市人大常委會繼續敦促有關部門密切配合
    assert {"市人大常委會", "有關(guān)部門"} <= set(texts(d.tasks[2].units))  # original text


def test_004_ordinal_word_ids():
    d = extract(corpus_text("004"), reference_date="2018-03-15")
    assert [(t.id, t.title) for t in d.tasks] == [
        ("首先", "制定落实稳固脱贫不返贫计划"), ("其次.一", "巩固原有扶贫产业"),
        ("其次.二", "提早谋划新扶贫产业"), ("第三", "推进行业扶贫进度,推进实施教育、医疗精准扶贫行动")]
    assert texts(d.tasks[2].deadlines) == ["今年"]


def test_regulation_articles_are_no_tasks():
    assert extract(corpus_text("000"), reference_date="2018-03-28").tasks == []


def _with_gold_mentions(name):
    """The document run with the gold mentions in place of the extractors, so that task
    linking is measured apart from extractor quality."""
    g = gold(name)
    text = corpus_text(name)

    def fake(ctx):
        starts = [ctx.to_orig(i, i + 1)[0] for i in range(len(ctx.text))]
        out = []
        for m in g["mentions"]:
            s = bisect_left(starts, m["start"])
            e = bisect_left(starts, m["end"], lo=s)
            out.append(Candidate(m["type"], s, e, m.get("value")))
        return out

    pipeline._EXTRACTORS["gold_test"] = fake
    try:
        doc = pipeline.run(text, dt.date.fromisoformat(g["reference_date"]), g["doc"],
                           extractors=("gold_test",))
    finally:
        del pipeline._EXTRACTORS["gold_test"]
    return text, g, doc.model_dump(exclude_none=True)


def test_task_fields_with_gold_mentions():
    tallies = defaultdict(Tally)
    for name in ("001", "002", "004"):
        text, g, pred = _with_gold_mentions(name)
        score_document(text, g, pred, tallies)
    f1 = {k: v.row()["f1"] for k, v in tallies.items() if k.startswith("task/")}
    assert f1["task/segment"] == 1.0
    assert f1["task/deadlines"] >= 0.97
    assert f1["task/units"] >= 0.93
    assert f1["task/lead_units"] == 1.0
    assert f1["task/targets"] >= 0.95


def test_framing_items_are_no_tasks_and_restarting_ids_name_the_path():
    text = ("关于印发《某市优化营商环境三年行动方案》的通知\n一、总体要求\n（一）指导思想\n"
            "以习近平新时代中国特色社会主义思想为指导。\n（二）基本原则\n坚持问题导向。\n二、重点任务\n"
            "（一）深化“放管服”改革。年底前实现“一网通办”。（市政务服务局牵头）\n"
            "（二）降低企业成本。全年减税降费10亿元以上。\n")
    d = extract(text, reference_date="2020-03-25")
    assert [(t.id, t.title, t.line) for t in d.tasks] == [
        ("二.(一)", "深化“放管服”改革", 8), ("二.(二)", "降低企业成本", 9)]
    assert texts(d.tasks[0].lead_units) == ["市政务服务局"]
    assert [(m.deadline.text, m.action) for m in d.tasks[0].milestones] == [("年底前", "实现“一网通办”")]
    assert texts(d.tasks[1].targets) == ["10亿元"]


def test_inline_labelled_responsibility():
    text = ("一、重点任务\n1.加快项目建设。年内开工10个项目。牵头单位：市发展改革委；"
            "责任单位：市财政局、市自然资源局。\n2.优化服务。\n")
    d = extract(text, reference_date="2020-03-25")
    assert texts(d.tasks[0].lead_units) == ["市发展改革委"]
    assert texts(d.tasks[0].units) == ["市财政局", "市自然资源局"]
    assert d.tasks[1].units == [] and d.tasks[1].lead_units == []


def test_reported_figures_are_no_targets():
    text = ("一、重点任务\n1.扩大有效投资。去年完成固定资产投资300亿元，"
            "今年力争完成投资350亿元以上，新开工项目不少于50个。\n")
    d = extract(text, reference_date="2020-03-25")
    assert texts(d.tasks[0].targets) == ["350亿元", "50个"]
    assert texts(d.tasks[0].goals) == ["今年力争完成投资350亿元以上", "新开工项目不少于50个"]
