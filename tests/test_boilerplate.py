"""Web boilerplate rules (BP): what goes on a web page, what stays on newspaper pages."""

import pytest

from cleaner.context import RuleContext
from cleaner.engine import Engine
from cleaner.ruleset import load_rules, select_rules

BP = select_rules(load_rules(), select=["BP"])
WEB = "002_6d422be956be0fa8.txt"
NEWSPAPERS = ["000_27f1f8b0384e3128.txt", "001_b81c3221cb5ed040.txt", "003_0105bf78c652beb1.txt",
              "004_a3b0ee3524b772fb.txt"]


def _fix(text: str, ctx: RuleContext | None = None):
    return Engine(BP).fix(text, ctx or RuleContext())


def test_web_page_furniture_removed(sample_texts):
    res = _fix(sample_texts[WEB])
    out = res.text
    for gone in ("粤ICP备", "公网安备", "网站首页", "免责声明", "园区 园区", "推荐图文", "推荐资讯", "点击排行",
                 "更多>同类资讯", "\n42\n"):
        assert gone not in out, gone
    for kept in ("山西省开发区建设提档加速", "全省各开发区全力服务好企业", "2021-12-13 山西日报",
                 "项目建设加速跑", "招商引资不停歇", "全省开发区必将迎来新的更大发展。"):
        assert kept in out, kept
    assert res.converged
    # the page ends with the article, no dangling blank lines or whitespace-only lines
    assert out.rstrip("\n").endswith("全省开发区必将迎来新的更大发展。")
    # every removal is a logged BP edit that deletes text
    assert res.edits and all(e.rule.startswith("BP") and e.after == "" for e in res.edits)


@pytest.mark.parametrize("name", NEWSPAPERS)
def test_newspaper_pages_untouched(sample_texts, name):
    text = sample_texts[name]
    assert Engine(BP).check(text, RuleContext()) == []
    assert _fix(text).text == text


def test_titles_labels_bylines_survive():
    text = ("临汾经济开发区\n\n因地制宜发展新质生产力 加快打造开发区升级版\n\n"
            "科学导报讯 党的二十大把高质量发展作为全面建设社会主义现代化国家的首要任务。\n\n张鑫\n\n刘科 茹艳")
    assert _fix(text).text == text


def test_page_metadata_recorded_and_line_kept(sample_texts):
    ctx = RuleContext()
    res = _fix(sample_texts[WEB], ctx)
    assert ctx.meta["date"] == "2021-12-13"
    assert ctx.meta["source"] == "山西日报"
    assert "2021-12-13 山西日报" in res.text


@pytest.mark.parametrize("line,date,source", [
    ("发布时间：2023年6月12日 10:20 来源：新华社", "2023-06-12", "新华社"),
    ("2024-03-07 科学导报", "2024-03-07", "科学导报"),
])
def test_metadata_forms(line, date, source):
    ctx = RuleContext()
    _fix(f"标题\n{line}\n阅读：1024\n会议强调，要进一步解放思想，积极学习借鉴成熟有效的闲置资源盘活方式。", ctx)
    assert ctx.meta["date"] == date and ctx.meta["source"] == source


def test_generalises_beyond_the_sample_strings():
    body = "会议强调，要进一步解放思想，积极学习借鉴成熟有效的闲置资源盘活方式，切实打通项目建设的关键环节。"
    page = ("首页 > 要闻 > 正文\n新能源 储能 光伏 锂电 储能 风电\n"
            f"{body}\n\n版权声明：本站所载文章仅代表作者观点，转载请注明出处。\n"
            "分享到：微信 微博 QQ空间\n相关阅读\n热门排行\n"
            "关于本站 | 广告服务 | 联系我们 | 网站地图\n京ICP证123456号\n")
    out = _fix(page).text
    assert out == body + "\n"


def test_pipes_in_prose_are_kept():
    text = "数据显示，A|B|C三类企业增速分别为5%、7%和9%，均高于上年同期水平。"
    assert _fix(text).text == text


def test_removal_leaves_no_blank_paragraph():
    text = "第一段正文内容较长，足以算作正文段落，并以句号结束。\n\n粤ICP备05102027号\n\n第二段正文内容较长，足以算作正文段落，以句号结束。"
    assert _fix(text).text == ("第一段正文内容较长，足以算作正文段落，并以句号结束。\n\n"
                               "第二段正文内容较长，足以算作正文段落，以句号结束。")


def test_labelled_metadata_line_removed_but_recorded():
    ctx = RuleContext()
    body = "开发区召开项目建设推进会，安排部署下一阶段的重点工作任务。"
    res = _fix(f"{body}\n\n发布时间：2021-04-03 14:00  来源：太行在线", ctx)
    assert res.text == body
    assert ctx.meta == {"date": "2021-04-03", "time": "14:00", "source": "太行在线"}


BODY = "会议强调，要进一步解放思想，积极学习借鉴成熟有效的闲置资源盘活方式，切实打通项目建设的关键环节。"
NEXT = "开发区举办科技活动周\n\n本刊讯 开发区组织举办了科技活动周，六百余名师生走进企业参观学习。"


@pytest.mark.parametrize("block", [
    "延伸阅读\n· 东湖区举办招聘会\n· 西山县召开项目推进会  2020-05-06",  # bulleted/dated list
    "频道 · 新闻 · 财经 · 教育 · 视频 · 互动",  # dot-separated menu
    "所在位置：首页 >> 园区动态",  # breadcrumb after a location label
    "联系地址：滨河路8号  邮编：030000  传真：0351-7654321",  # site contact
    "阅读数：327  评论：5",  # counters
    "关键词：园区 招商 营商环境",  # keyword tags
    "转发到：朋友圈 微博",  # share bar
])
def test_furniture_between_articles(block):
    text = f"{BODY}\n\n（记者 王波）\n\n{block}\n\n{NEXT}"
    assert _fix(text).text == f"{BODY}\n\n（记者 王波）\n\n{NEXT}"


@pytest.mark.parametrize("text", [
    "经济资讯\n临汾开发区召开推进会\n全力以赴抓项目建设\n\n" + BODY,  # a column name above a title block
    BODY + "\n\n服务中心地址：迎泽大街1号  电话：0351-1234567",  # a notice with two everyday labels
    BODY + "\n\n如遇问题请联系社区工作人员，我们将第一时间处理。",  # one legal-looking cue is not a disclaimer
    "张三 李四 王五 赵六 钱七\n\n" + BODY,  # a line of names
])
def test_newspaper_lookalikes_stay(text):
    assert _fix(text).text == text
