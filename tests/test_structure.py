"""Line classification heuristics (cleaner.structure)."""

import pytest

from cleaner import structure as st


@pytest.mark.parametrize("line", ["本刊讯 近日，运城市委书记深入调研。", "科学导报讯 3月13日,会议召开。",
                                  "科学导报 近年来,临汾经济开发区抢抓机遇。", "科学导报 记者 王波 安全生产关乎民生。",
                                  "新华社北京3月1日电 记者从会上获悉。", "（记者 张三）近日，会议召开。"])
def test_dateline(line):
    assert st.is_dateline(line)


@pytest.mark.parametrize("line", ["2024年是建设开发区升级版关键之年。", "会上,作业单位负责人就开发区园区",
                                  "日报告显示增长。", "讯息传来"])
def test_not_dateline(line):
    assert not st.is_dateline(line)


@pytest.mark.parametrize("line", ["张鑫", "刘科 茹艳", "（王文军）", "（周旭 张晨帆）", "记者 王波", "欧阳晓明"])
def test_byline(line):
    assert st.is_byline(line)


@pytest.mark.parametrize("line", ["一期", "（一期）", "园区发展", "临汾经济开发区", "项目建设加速跑", "推动"])
def test_not_byline(line):
    assert not st.is_byline(line)


def test_byline_tail():
    s = "交出一份亮丽的临开答卷。 王波"
    assert st.byline_tail(s) == s.index(" ")
    s = "确保项目早日投产达效。（王波）"
    assert st.byline_tail(s) == s.index("（")
    assert st.byline_tail("实现更好更快的发展。（晓晓妹）") is not None  # pen name in brackets
    assert st.byline_tail("招商引资优惠办法(试行)》") is None
    assert st.byline_tail("开启临汾开发区 招商引资") is None  # no finished sentence before it
    assert st.byline_tail("完成了全年目标。 园区建设") is None  # not a name


@pytest.mark.parametrize("line", ["临汾经济开发区", "沁源县", "祁县经济开发区纪检监察工委", "神池现代农业产业示范区"])
def test_zone_label(line):
    assert st.is_zone_label(line)
    assert st.is_title_like(line)


def test_zone_label_rejects_sentences():
    assert not st.is_zone_label("我们来到开发区")  # function characters: a sentence, not a name
    assert not st.is_zone_label("会上,作业单位负责人就开发区")


@pytest.mark.parametrize("line", ["因地制宜发展新质生产力 加快打造开发区升级版", "项目建设加速跑",
                                  "——长子经开区力促项目建设加速发展纪略", "## 召开2023年项目建设第19次调度会",
                                  "晋中市政协副主席、寿阳县委书记赵宏钟带队",
                                  "举办“爱临汾·赢未来”2023年“热爱科学 崇尚科学”科技活动周"])
def test_title_like(line):
    assert st.is_title_like(line)


@pytest.mark.parametrize("line", ["三是覆盖领域不断拓展。目前，", "会上,作业单位负责人就开发区园区，",
                                  "现状概况、调区扩区的必要性及针对园区企业、周边开展的前期调研情况进行了详细阐述。"])
def test_not_title_like(line):
    assert not st.is_title_like(line)


def test_subtitle_and_heading():
    assert st.is_subtitle("——走进左云经济技术开发区")
    assert st.is_heading_marked("### “春来”早“筑巢”为项目落地做好开工准备")
    assert not st.is_heading_marked("话题#开发区建设#持续升温")


@pytest.mark.parametrize("line", ["一是精心组织，科学制定方案。", "二要研究领悟相关政策", "三、开展宣传", "（一）总体要求",
                                  "1.加强领导", "①项目建设"])
def test_numbered_point(line):
    assert st.is_numbered_point(line)


@pytest.mark.parametrize("line", ["一期工程已经完工。", "3.5亿元投资到位。", "一宗,完成承诺制项目 3 宗"])
def test_not_numbered_point(line):
    assert not st.is_numbered_point(line)


def test_label_and_token_list():
    assert st.is_label_line("核心提示:围绕“三个转变、四个强化”")
    assert st.is_label_line("来源：山西日报")
    assert not st.is_label_line("会议指出:要加强领导。")
    assert st.is_token_list("氢能科技 沙蓬绿色种养产业模式 联源科技 超联科技 园区 园区")
    assert st.is_token_list("网站首页  |  关于我们  |  联系方式  |  使用协议")
    assert not st.is_token_list("科学导报讯 党的二十大把高质量发展作为首要任务。")


@pytest.mark.parametrize("line", ["- 3 -", "—3—", "第3版", "第 12 版 要闻", "A3版", "3/12", "第3页"])
def test_page_marker(line):
    assert st.is_page_marker(line)


def test_bare_numbers_only_on_request():
    assert not st.is_page_marker("42")
    assert st.is_page_marker("42", bare_numbers=True)
    assert not st.is_page_marker("2024", bare_numbers=True)
    assert not st.is_page_marker("第3版的报道很详细。")


@pytest.mark.parametrize("line", ["科学导报 2024年3月13日 星期三 第3版", "2021-12-13 山西日报", "山西日报 2021年12月13日"])
def test_running_header(line):
    assert st.is_running_header(line)


def test_not_running_header():
    assert not st.is_running_header("2021年12月13日,山西日报记者来到园区。")


def test_clauses_and_body():
    assert st.first_clause("需求和方向等,积极配合") == "需求和方向等"
    assert st.last_clause("形成推动合力,因地制宜培育和发") == "因地制宜培育和发"
    assert st.body_like("会上,作业单位负责人就开发区园区")
    assert not st.body_like("临汾经济开发区")
    assert not st.body_like("核心提示:围绕“三个转变、四个强化”,决胜高质量发展新战场是")
    assert st.ends_mid_sentence("目前，")
    assert st.ends_mid_sentence("具有战")
    assert not st.ends_mid_sentence("重大项目。")
    assert not st.ends_mid_sentence("交出一份亮丽的临开答卷。 王波")


def test_embedded_quote_and_annotation():
    assert st.quote_is_embedded("“制-储-运-加-用”产业链中拥有强大的交易基础。")
    assert not st.quote_is_embedded("“我们将尽全力保障企业的用地需求。”县长说。")
    assert st.bracket_is_annotation("(一期),正谋划二期。")
    assert st.bracket_is_annotation("(试行)》。进一步明确目标。")
    assert not st.bracket_is_annotation("（王文军）")


def test_looks_like_name():
    assert st.looks_like_name("张鑫") and st.looks_like_name("麻亚琼") and st.looks_like_name("司马光明")
    assert not st.looks_like_name("一期") and not st.looks_like_name("园区") and not st.looks_like_name("张")


def test_opens_paragraph():
    for line in ["本刊讯 近日，会议召开。", "一是做好土地要素保障。", "张鑫", "临汾经济开发区", "第3版"]:
        assert st.opens_paragraph(line), line
    for line in ["略性全局性前瞻性的重大项目,推动制造业发展。", "(一期),正谋划开发区标准化厂房项目(二期)等。"]:
        assert not st.opens_paragraph(line), line


@pytest.mark.parametrize("line", ["黄河商报  2023.11.15  要闻  第3版", "汾河日报·地方新闻  第11版  2021年2月10日 星期一",
                                  "2022年3月9日  星期五  河东经济时报  第11版 社会民生", "2022-09-27 河东经济时报 第A05版",
                                  "北方县域经济·综合新闻  第4版  2019年4月8日 星期日", "第3版"])
def test_edition_marker(line):
    assert st.has_edition_marker(line)


@pytest.mark.parametrize("line", ["人民日报第3版刊发我区经验", "本报第3版刊登了这篇报道，引起反响。",
                                  "发布时间：2021-04-03 14:00  来源：太行在线"])
def test_not_edition_marker(line):
    assert not st.has_edition_marker(line)
    assert not st.is_running_header(line)
