"""Page-break joins (PB001) and page furniture (HD001)."""

import time

import pytest

from cleaner.checks.pagebreak import judge_break, nonblank_lines, spanning_word
from cleaner.context import RuleContext
from cleaner.engine import Engine
from cleaner.lexicon import default_lexicon
from cleaner.ruleset import load_rules, select_rules

LEX = default_lexicon()
RULES = select_rules(load_rules(), select=["PB", "HD"])


def fix(text: str, unsafe: bool = False) -> str:
    return Engine(RULES, unsafe_fixes=unsafe).fix(text, RuleContext()).text


def test_spanning_word():
    assert spanning_word("具有战", "略性全局性", LEX).startswith("战略")
    assert spanning_word("突出贡", "献。", LEX) == "贡献"
    assert spanning_word("小西", "瓜、龙爪枣", LEX) == "西瓜"
    assert spanning_word("开发区", "。", LEX) == ""


@pytest.mark.parametrize(
    "a,b,safety",
    [
        ("会上,作业单位负责人就开发区园区", "现状概况、调区扩区的必要性进行了详细阐述。", "safe"),
        ("自2017年启动氢能产业布局以来,美", "锦能源紧跟国家和行业政策导向。", "safe"),
        ("三是覆盖领域不断拓展。目前，", "全区已落地的再生金属产业项目涉及多个领域。", "safe"),
        ("以案为鉴，抓早", "抓小，狠刹“酒风”转作风。", "safe"),
        ("各部门要压实责任,形成合力", "2024年是关键之年。", "unsafe"),
        ("各部门要压实责任,形成合力", "近日，园区召开会议。", "unsafe"),
        ("会上,会议强调了以下几点:", "加强领导,压实责任。", "unsafe"),
        ("稳字当头求突破,开发区跑出加速度", "园区项目建设全面提速,成效显著。", "unsafe"),
    ],
)
def test_judge_break_joins(a, b, safety):
    j = judge_break(a, b, LEX)
    assert j is not None and j.safety == safety, j


@pytest.mark.parametrize(
    "a,b",
    [
        ("交出一份亮丽的临开答卷。 王波", "高平经济技术开发区"),
        ("确保项目早日投产达效。（王波）", "上党经开区考察学习"),
        ("临汾经济开发区", "因地制宜发展新质生产力 加快打造开发区升级版"),
        ("因地制宜发展新质生产力 加快打造开发区升级版", "科学导报讯 党的二十大把高质量发展作为首要任务。"),
        ("强化要素保障 提升服务效能", "——长子经开区力促项目建设加速发展纪略"),
        ("形成推动合力,因地制宜培育和发", "科学导报 7月23日,兴县经开区党工委会议召开。"),
        ("对存在的问题认真做台账,确保整改到位", "二是开展宣传,营造浓厚氛围。"),
        ("为中国建设贡献经开区力量", "陈磊"),
        ("核心提示:围绕“三个转变”,决胜新战场是", "围绕“三个转变”,决胜新战场是省委的要求。"),
        ("科技是第一生产力、人才是第一资源 加快建设科技强国", "氢能科技 沙蓬绿色种养产业模式 联源科技 超联科技 园区"),
        ("重大项目。", "略性全局性前瞻性"),
        ("会议要求,各部门要压实责任", "（王文军）"),
        ("他说,我们要“稳中求进”", "会议强调,要抓好落实。"),
    ],
)
def test_judge_break_refuses(a, b):
    assert judge_break(a, b, LEX) is None


def test_unsafe_join_needs_unsafe_fixes():
    text = "各部门要压实责任,形成合力\n\n2024年是关键之年。"
    assert fix(text) == text
    assert fix(text, unsafe=True) == "各部门要压实责任,形成合力2024年是关键之年。"


def test_chain_of_joins_in_one_paragraph():
    text = "他要求，运城经开区要加快\n\n补齐道路、电力等短板，在企业发展方面给予企业更多帮助，\n\n共同把大运品牌擦得更亮。"
    assert fix(text) == "他要求，运城经开区要加快补齐道路、电力等短板，在企业发展方面给予企业更多帮助，共同把大运品牌擦得更亮。"


def test_header_between_halves_is_removed_then_joined():
    text = "积极谋划五个产业园,加快实施一批具有战\n\n科学导报 2024年3月13日 第3版\n\n略性全局性前瞻性的重大项目。"
    assert fix(text) == "积极谋划五个产业园,加快实施一批具有战略性全局性前瞻性的重大项目。"
    text = "积极谋划五个产业园,加快实施一批具有战\n- 3 -\n略性全局性前瞻性的重大项目。"
    assert fix(text) == "积极谋划五个产业园,加快实施一批具有战略性全局性前瞻性的重大项目。"
    text = "积极谋划五个产业园,加快实施一批具有战\n\n17\n\n略性全局性前瞻性的重大项目。"
    assert fix(text) == "积极谋划五个产业园,加快实施一批具有战略性全局性前瞻性的重大项目。"


def test_page_numbers_counting_up_and_at_edges():
    text = "第一段落结束。\n\n1\n\n第二段落结束。\n\n2\n\n第三段落结束。"
    assert fix(text) == "第一段落结束。\n\n第二段落结束。\n\n第三段落结束。"
    assert fix("3\n\n园区建设提速。") == "园区建设提速。"
    assert fix("园区建设提速。\n\n4") == "园区建设提速。"


def test_numbers_that_are_not_page_numbers_stay():
    for text in [
        "山西省开发区建设提档加速\n\n2021-12-13 山西日报\n42\n核心提示:围绕“三个转变、四个强化”。",
        "项目数量\n12\n总投资额\n45\n完成比例\n80",
        "全年完成投资\n12 亿元,同比增长。",
    ]:
        assert fix(text) == text


def test_samples_joins_are_the_expected_ones(sample_texts):
    """Every join PB001 makes on the five samples, with the characters around it.
    (Reviewed by hand: each is a sentence cut by a page or column break.)"""
    expected = {
        "000": ["开发区园区|现状概况", "整体承载力,推动|园区产业发展", "成立基|金决策专家", "规划设计方案|更加契合",
                "前期工作,高|标准、高效率"],
        "001": ["具有战|略性全局性", "作出突出贡|献。", "景观化、景|观时尚化", "厂房项目|(一期)", "项目任务|一宗,",
                "优惠办法|(试行)》", "的需要,也|是项目建设中"],
        "002": [],
        "003": ["临汾开发区|招商引资", "核施工|许可证", "机遇,强化|顶层设计", "检查安全|生产制度", "以来,美|锦能源",
                "在氢能|“制-储", "公司现|拥有实用", "2号小西|瓜、龙爪枣", "苦瓜、|番茄"],
        "004": ["经开区要加快|补齐道路", "更多帮助，|共同把", "师生共赴|临汾晶旭", "了解工|业世界", "对存在|的问题",
                "目前，|全区已落地", "以案为鉴，抓早|抓小"],
    }
    engine = Engine(select_rules(load_rules(), select=["PB001"]))
    for name, text in sample_texts.items():
        got = []
        for f in engine.check(text, RuleContext()):
            assert f.safety == "safe", (name, f.message)
            got.append((text[: f.start], text[f.end :]))
        want = expected[name[:3]]
        assert len(got) == len(want), (name, [g[0][-8:] + "|" + g[1][:8] for g in got])
        for (before, after), pair in zip(got, want):
            left, right = pair.split("|")
            assert before.endswith(left) and after.startswith(right), (name, pair)


def test_no_edits_on_clean_paragraphs(sample_texts):
    # finished paragraphs separated by blank lines: nothing to do
    text = "\n\n".join(p for p in sample_texts["002_6d422be956be0fa8.txt"].split("\n") if p.endswith("。"))
    assert fix(text) == text


def test_nonblank_lines_trim_whitespace():
    text = "  甲乙。 \n\n\u3000\u3000丙丁\n"
    assert [text[s:e] for s, e in nonblank_lines(text)] == ["甲乙。", "丙丁"]


def test_speed_on_clean_text():
    para = "科学导报讯 近年来,临汾经济开发区抢抓打造开发区升级版政策红利,对上积极争取,对内主动作为,创优营商环境。"
    text = "\n\n".join([para] * 20000)  # about 1 MB
    rules = select_rules(load_rules(), select=["PB", "HD", "FR"])
    engine = Engine(rules)
    t0 = time.perf_counter()
    engine.check(text, RuleContext(_lexicon=LEX))
    elapsed = time.perf_counter() - t0
    mb = len(text.encode()) / 1e6
    assert mb / elapsed > 5, f"{mb / elapsed:.1f} MB/s"


@pytest.mark.parametrize(
    "a,b",
    [
        ("在阳城职业技术学院", "的实训中心,学生们正在老师的指导下进行设备操作训练。"),  # 的 never opens a sentence
        ("在太岳山国有林场,", "护林员老杨正在林间巡护。"),  # nothing but running text stops at a comma
        ("科学导报讯 冬日暖", "阳下,岚县王家沟村的山坡上,一排排光伏板整齐排列。"),  # a dateline opens a body paragraph
        ("“城市更新是一项长", "期工程,要一年接着一年干。”市委书记说。"),  # the quotation closes in the second piece
    ],
)
def test_judge_break_short_first_pieces(a, b):
    j = judge_break(a, b, LEX)
    assert j is not None and j.safety == "safe", j


def test_edition_header_removed_anywhere():
    text = "园区建设提速。\n\n黄河商报  2023.11.15  要闻  第3版\n\n项目加快推进。"
    assert fix(text) == "园区建设提速。\n\n项目加快推进。"


@pytest.mark.parametrize(
    "a,b",
    [
        ("人才是制造业转型的第", "一资源。我省实施“三晋工匠”培育工程。"),  # 第 cannot end a title
        ("智慧养老让服务更", "加精准高效。我市搭建了智慧养老服务平台。"),  # neither can 更
        ("是制造业高质量发展的", "底色。在长风光电科技有限公司的生产线上。"),
        ("县人民医院远程会诊中", "心,一名心内科专家正通过视频连线会诊。"),  # a one-character clause cannot stand alone
        ("到极致。”公司董事长", "秦立峰说,企业每年将销售收入的12%投入研发。"),  # finished sentence inside: no title
    ],
)
def test_judge_break_open_endings(a, b):
    j = judge_break(a, b, LEX)
    assert j is not None and j.safety == "safe", j


@pytest.mark.parametrize(
    "a,b",
    [
        ("园区项目建设提速增效", "近日，园区召开项目推进会。"),  # a title, then a paragraph opener
        ("园区项目建设提速增效", "上午，园区召开项目推进会。"),
        ("夜间经济点亮城市", "烟火气。我市打造了12个夜间消费集聚区。"),  # …城市 may be a place name: left alone
    ],
)
def test_judge_break_titles_stay(a, b):
    assert judge_break(a, b, LEX) is None
