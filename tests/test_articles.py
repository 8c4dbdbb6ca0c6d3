"""Article segmentation and reassembly (issue 4)."""

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from cleaner.articles import articles_from_paths, build_articles
from cleaner.articles.roles import cut_word, find_jump, parse_lead, point_number
from cleaner.lexicon import default_lexicon

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FOLD = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")"})


def fold(s: str) -> str:
    return s.translate(FOLD)


@pytest.fixture(scope="module")
def sample_articles():
    # segmentation is tested on the raw samples, so that it does not depend on
    # the state of the other rules; the CLI test below runs the whole pipeline
    items = [(str(p), p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.txt"))]
    recs = build_articles(items)
    by_file: dict[str, list[dict]] = {}
    for r in recs:
        by_file.setdefault(Path(r["sources"][0]["path"]).name[:3], []).append(r)
    return by_file


# ---------------------------------------------------------------- helpers
def test_roles_helpers():
    lex = default_lexicon()
    assert cut_word("对开发区的重点项目建设给予适当倾", "斜支持，同时鼓励社会资本", lex) == "倾斜"
    assert cut_word("工作取得实效。", "今年以来，", lex) is None
    j, rest = find_jump("要把项目作为突破口（下转第4版）")
    assert j is not None and j.direction == "to" and j.page == 4 and rest == "要把项目作为突破口"
    j, rest = find_jump("（上接第一版）集中力量攻坚。")
    assert j is not None and j.direction == "from" and j.page == 1
    assert point_number("三是做好人才要素保障。") == 3
    assert point_number("（二）持续优化") == 2
    assert point_number("三是") is None or point_number("三是") == 3
    ld = parse_lead("科学导报 记者 王波 安全生产，作为关乎民生福祉")
    assert ld is not None and ld.reporter == "王波" and ld.source == "科学导报"
    ld = parse_lead("本刊讯6月12日，侯马经济开发区召开")
    assert ld is not None and ld.date == "6月12日"


# ---------------------------------------------------------------- segmentation of the samples
@pytest.mark.parametrize("prefix,count", [("000", 7), ("001", 5), ("002", 1), ("003", 5), ("004", 10)])
def test_sample_article_counts(sample_articles, prefix, count):
    assert len(sample_articles[prefix]) == count


def test_sample_titles_and_bylines(sample_articles):
    a0 = sample_articles["000"]
    assert a0[0]["kicker"] == "晋中市政协副主席、寿阳县委书记赵宏钟带队"
    assert a0[0]["title"] == "县委常委会集体深入调研指导产业园区发展"
    assert a0[0]["byline"] == "张鑫" and a0[0]["dateline"] == "科学导报讯"
    assert (a0[1]["zone"], a0[1]["title"]) == ("高平经济技术开发区", "坚定不移强化项目硬支撑 全力以赴打造发展新动能")
    assert a0[1]["byline"] == "刘科 茹艳"
    assert [r["byline"] for r in a0] == ["张鑫", "刘科 茹艳", "陈磊", "王继鹏", "杜凤英", "邵康", "李俊萍"]
    a2 = sample_articles["002"][0]
    assert a2["title"] == "山西省开发区建设提档加速"
    assert a2["date"] == "2021-12-13" and a2["source"] == "山西日报"
    a4 = sample_articles["004"]
    assert a4[0]["kicker"] == "运城市委书记丁小强" and a4[0]["byline"] == "王文军"
    assert (a4[2]["zone"], a4[2]["byline"]) == ("沁源县", "王波")  # a zone label is not a byline
    zuoyun = a4[5]
    assert zuoyun["title"] == "为推动高质量发展赋能增势" and zuoyun["subtitle"].startswith("——走进左云")
    # its subheads (“春来”早“筑巢”…) stay inside the article
    assert "“腾笼”引“俊鸟”为产业链健全做好谋划" in zuoyun["paragraphs"]
    a3 = sample_articles["003"]
    assert a3[2]["dateline"] == "科学导报 记者 王波" and a3[2]["reporter"] == "王波"
    assert a3[-1]["byline"] == "张虎虎"


def test_byline_in_the_middle_does_not_split(sample_articles):
    changzhi = sample_articles["004"][-1]
    assert changzhi["title"] == "企业刮起“头脑风暴” 聚智开出管理良方"
    assert changzhi["bylines"] == ["晓晓妹", "晓晓妹"]
    assert any(p.startswith("讲座的第二阶段") for p in changzhi["paragraphs"])
    assert changzhi["paragraphs"][-1].startswith("下一步，长治经开区")
    assert any(e["kind"] == "join" and "byline" in e["reason"] for e in changzhi["evidence"])


# ---------------------------------------------------------------- within-file reassembly
def test_sample_001_pieces_back_in_order(sample_articles):
    art = next(r for r in sample_articles["001"] if r["title"] == "强化要素保障 提升服务效能")
    text = fold(art["text"])
    assert "给予适当倾斜支持,同时鼓励社会资本" in text
    marks = ["今年以来,长子经开区党工委坚持", "一是做好土地要素保障", "二是做好资金要素保障",
             "三是做好人才要素保障", "四是做好技术要素保障", "为强化要素保障,提升服务效能"]
    pos = [text.find(m) for m in marks]
    assert all(p >= 0 for p in pos) and pos == sorted(pos)
    assert art["byline"] == "郑婷" and not text.rstrip().endswith("倾")
    join = next(e for e in art["evidence"] if e["kind"] == "join")
    assert "倾斜" in join["reason"] and join["confidence"] >= 0.7
    assert any(e["kind"] == "move" for e in art["evidence"])
    assert [s["lines"][0] for s in art["sources"]] == sorted(s["lines"][0] for s in art["sources"])[::-1]


def test_sample_003_headline_after_body(sample_articles):
    a3 = sample_articles["003"]
    art = next(r for r in a3 if r["title"] and r["title"].startswith("兴县经开区党工委"))
    assert art["paragraphs"][0].replace(" ", "").startswith("科学导报7月23日")
    assert art["byline"] == "杜凤英"
    assert any(e["kind"] == "move" and e.get("what") == "title" for e in art["evidence"])
    # the next article keeps its own title and zone label
    nxt = a3[a3.index(art) + 1]
    assert (nxt["zone"], nxt["title"], nxt["kicker"]) == ("沁源经济技术开发区", "强化安全监管 筑牢发展底线", None)


# ---------------------------------------------------------------- across pages
A1 = [
    "本报讯 3月5日，青岩经济开发区召开冷链物流产业推进会，研究部署冷库和分拣中心项目建设，园区主任罗文静出席会议并讲话。",
    "罗文静指出，发展冷链物流产业是青岩转型升级的关键一招，要把保鲜仓储作为突破口，集中力量攻坚，确保项目按期建成投产。",
    "在青岩瑞通科技有限公司的生产车间里，工人们正在调试新上线的温控系统设备。企业负责人介绍，项目达产后年产值可达十二亿元。",
    "围绕生鲜配送环节，青岩经济开发区建立了专班推进机制，实行一个项目、一名领导、一套方案，及时协调解决用地、用电、融资等问题。",
    "下一步，青岩经济开发区将继续做强冷链物流产业链条，加快冷藏车、分拣中心等关键环节布局，为县域经济高质量发展注入新动能。",
]
A2 = [
    "科技日报讯 近日，松岭高新区围绕光伏储能产业发展，组织逆变器、电池片等重点企业开展专题调研，区长钱海涛带队。",
    "钱海涛要求，各部门要强化服务意识，主动对接企业需求，在储能电站建设中做到靠前服务、全程跟踪，为光伏产业发展营造良好环境。",
    "据了解，松岭恒丰新能源公司总投资二十亿元建设的分布式光伏项目，目前主体工程已经完工，预计九月份进入设备安装阶段。",
    "截至目前，松岭高新区已引进光伏储能相关企业三十家，硅片和光伏组件两个产业集群初具规模，园区产业结构持续优化。",
]


def _page(*blocks: list[str]) -> str:
    return "\n\n".join(line for b in blocks for line in b) + "\n"


def _issue(tmp_path: Path, pages: dict[int, str]) -> list[tuple[str, str]]:
    items = []
    for n, text in pages.items():
        p = tmp_path / f"page_{n:02d}.txt"
        p.write_text(text, encoding="utf-8")
        items.append((str(p), text))
    return items


def _whole(art: dict, paras: list[str]) -> bool:
    return "".join(art["paragraphs"]).replace("\n", "") == "".join(paras)


def test_cross_page_join_with_jump_markers(tmp_path):
    cut = A1[2].index("温控系统")  # a cut between two words: only the markers tell
    p1 = _page(["青岩经济开发区", "做强冷链物流产业 跑出加速度"], A1[:2], [A1[2][:cut] + "（下转第3版）"],
               ["松岭高新区", "壮大光伏储能产业 激活新动能"], A2, ["王立新"])
    p3 = _page(["（上接第1版）" + A1[2][cut:]], A1[3:], ["赵明英"])
    recs = build_articles(_issue(tmp_path, {1: p1, 3: p3}))
    assert len(recs) == 2
    art = next(r for r in recs if r["title"] == "做强冷链物流产业 跑出加速度")
    assert _whole(art, A1) and art["byline"] == "赵明英"
    assert [Path(s["path"]).name for s in art["sources"]] == ["page_01.txt", "page_03.txt"]
    ev = next(e for e in art["evidence"] if e["kind"] == "join")
    assert "jump markers" in ev["reason"] and ev["confidence"] >= 0.9
    assert not art["fragment"]


def test_cross_page_join_without_markers(tmp_path):
    cut = A1[3].index("专班推进机制") + 2  # 专班|推进: mid-sentence, no marker
    p1 = _page(["青岩经济开发区", "做强冷链物流产业 跑出加速度"], A1[:3], [A1[3][:cut]])
    p2 = _page([A1[3][cut:]], A1[4:], ["赵明英"], ["松岭高新区", "壮大光伏储能产业 激活新动能"], A2, ["王立新"])
    recs = build_articles(_issue(tmp_path, {1: p1, 2: p2}))
    assert len(recs) == 2
    art = next(r for r in recs if r["title"] == "做强冷链物流产业 跑出加速度")
    assert _whole(art, A1)
    assert any(A1[3] == p for p in art["paragraphs"])  # the cut sentence is mended
    other = next(r for r in recs if r is not art)
    assert _whole(other, A2) and len(other["sources"]) == 1


def test_unrelated_pieces_are_never_joined(tmp_path):
    # page 1 ends open, page 2 opens with a title-less piece of another story whose
    # first characters happen to make a word with the cut (发|展): no names or terms shared
    p1 = _page(["青岩经济开发区", "做强冷链物流产业 跑出加速度"], A1[:4], ["下一步，青岩经济开发区将继续做强冷链物流产业链条，为县域经济高质量发"])
    p2 = _page(["展览馆内，松岭高新区的光伏组件和逆变器样品吸引了众多参观者驻足。"], A2[1:], ["王立新"])
    recs = build_articles(_issue(tmp_path, {1: p1, 2: p2}))
    assert len(recs) == 2
    a, b = recs
    assert a["open_end"] and a["fragment"]
    assert not any(e["kind"] == "join" for r in recs for e in r["evidence"])
    assert b["title"] is None and b["fragment"]


def test_files_of_different_folders_are_not_joined(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    cut = A1[2].index("温控系统")
    p1 = _page(["做强冷链物流产业 跑出加速度"], A1[:2], [A1[2][:cut] + "（下转第2版）"])
    p2 = _page(["（上接第1版）" + A1[2][cut:]], A1[3:])
    items = [(str(tmp_path / "a" / "page_01.txt"), p1), (str(tmp_path / "b" / "page_02.txt"), p2)]
    recs = build_articles(items)
    assert len(recs) == 2 and all(r["open_end"] or r["open_start"] for r in recs)


# ---------------------------------------------------------------- command line
def test_cli_articles_jsonl_and_text(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-m", "cleaner", "articles", str(SAMPLES), "--format", "jsonl"],
                       capture_output=True, text=True, cwd=ROOT, env=env)
    assert p.returncode == 0, p.stderr[-2000:]
    recs = [json.loads(line) for line in p.stdout.splitlines()]
    counts = Counter(Path(r["sources"][0]["path"]).name[:3] for r in recs)
    assert counts == {"000": 7, "001": 5, "002": 1, "003": 5, "004": 10}
    for r in recs:
        assert {"title", "text", "sources", "kicker", "subtitle", "lead", "byline", "date", "source",
                "paragraphs", "evidence"} <= set(r)
        assert r["sources"] and all("path" in s for s in r["sources"])
    art = next(r for r in recs if r["title"] == "强化要素保障 提升服务效能")
    assert "给予适当倾斜支持,同时鼓励社会资本" in fold(art["text"])
    p = subprocess.run([sys.executable, "-m", "cleaner", "articles", str(SAMPLES / "004_a3b0ee3524b772fb.txt")],
                       capture_output=True, text=True, cwd=ROOT, env={**env, "COLUMNS": "120"})
    assert p.returncode == 0 and "企业刮起“头脑风暴”" in p.stdout and "晓晓妹" in p.stdout


def test_articles_from_paths_matches_build(tmp_path):
    f = tmp_path / "page_01.txt"
    f.write_text(_page(["青岩经济开发区", "做强冷链物流产业 跑出加速度"], A1, ["赵明英"]), encoding="utf-8")
    (r,) = articles_from_paths([f])
    assert r["title"] == "做强冷链物流产业 跑出加速度" and r["zone"] == "青岩经济开发区"
    assert r["byline"] == "赵明英" and r["lead"] == A1[0] and r["dateline"] == "本报讯 3月5日"
    assert r["text"].splitlines()[:2] == ["青岩经济开发区", "做强冷链物流产业 跑出加速度"]


def test_generated_issues_no_false_join():
    """The bench's generated issues: split and scrambled articles come back, and no
    record ever mixes two articles."""
    import random

    sys.path.insert(0, str(ROOT / "bench"))
    import gen_issues

    rng = random.Random(7)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        issues = []
        aid = 0
        for k in range(8):
            iss = gen_issues.gen_issue(rng, 4, aid)
            aid += len(iss.articles)
            issues.append((iss, gen_issues.write_issue(iss, Path(tmp) / f"issue_{k}")))
        res = gen_issues.score(issues)
    assert res["split_articles"] >= 30
    assert res["false_joins"] == 0
    assert res["rejoined"] >= 0.8
    assert res["pair_f1"] >= 0.95


def test_cli_reports_unreadable_files_and_goes_on(tmp_path):
    good = tmp_path / "page_01.txt"
    good.write_text(_page(["做强冷链物流产业 跑出加速度"], A1, ["赵明英"]), encoding="utf-8")
    (tmp_path / "page_02.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-m", "cleaner", "articles", str(tmp_path), "--format", "jsonl"],
                       capture_output=True, text=True, cwd=ROOT, env=env)
    assert p.returncode == 2 and "page_02.txt" in p.stderr
    (r,) = [json.loads(line) for line in p.stdout.splitlines()]
    assert r["title"] == "做强冷链物流产业 跑出加速度"


def test_big_folder_is_not_one_issue(monkeypatch, tmp_path):
    import cleaner.articles as arts

    cut = A1[2].index("温控系统")
    p1 = _page(["做强冷链物流产业 跑出加速度"], A1[:2], [A1[2][:cut] + "（下转第2版）"])
    p2 = _page(["（上接第1版）" + A1[2][cut:]], A1[3:])
    items = [(str(tmp_path / "page_01.txt"), p1), (str(tmp_path / "page_02.txt"), p2)]
    assert len(build_articles(items)) == 1
    monkeypatch.setattr(arts, "MAX_ISSUE_PAGES", 1)
    assert len(arts.build_articles(items)) == 2
