"""Per-line prefilters and memos of the boilerplate and page-break rules give
the verdicts of the full tests."""

import re

from cleaner.checks import boilerplate as bp
from cleaner.checks import pagebreak as pb

# One example of every alternative of boilerplate._LEGAL_CUES, and the labels.
LEGAL_CUE_EXAMPLES = [
    "不代表本报观点", "不代表本刊立场", "不代表本号", "本网转载", "本站所载", "本平台刊载", "如有侵权", "侵犯您的版权",
    "侵犯了您的合法权益", "转载请注明出处", "版权归原作者", "版权属于原作者", "未经本站书面授权，不得转载",
    "未经许可禁止转载", "版权所有", "Copyright", "©", "All Rights Reserved", "第一时间删除", "请与我们联系",
    "联系本站删除", "主办单位：", "承办：", "协办单位:", "技术支持：", "网站标识码",
]


def test_every_legal_cue_holds_a_disclaimer_anchor():
    for cue in LEGAL_CUE_EXAMPLES:
        assert bp._LEGAL_CUES.search(cue), cue
        assert bp._DISCLAIMER_ANCHOR.search(cue), cue
    for label in ("免责声明：", "版权声明:", "【声明】："):
        assert bp._DISCLAIMER_LABEL.match(label) and bp._DISCLAIMER_ANCHOR.search(label)


def test_tag_label_first_characters():
    for s in ("标签：a", "关键词：a", "关键字:a", "热门标签：a", "Tags: a", "tag:a", "TAG：a", "相关标签：a", "【标签】：a", "[Tags]:a"):
        assert bp._TAG_LABEL.match(s), s
        assert s[0] in bp._TAG_LABEL_FIRST, s
    # the pattern ignores case: only t and T among the letters can open it
    letters = [chr(c) for c in range(0x10000) if re.match("(?i)t", chr(c))]
    assert set(letters) <= bp._TAG_LABEL_FIRST


def test_line_cues_mark_disclaimers_of_any_length():
    long = "免责声明：本网转载自其它媒体的文章，不代表本网观点。" + "正文" * 300
    assert bp._line_cues(long) & bp._DISCLAIMER
    assert not bp._line_cues(long) & bp._CUE_LEGAL  # over 400 characters
    assert bp._line_cues("本刊讯 开发区召开会议，部署工作。") == 0


def test_furniture_kinds_are_memoised():
    pb.clear_memos()
    assert pb._furniture_kind("第3版") == "page marker"
    assert pb._furniture_kind("12") == "bare number"
    assert pb._furniture_kind("科学导报 2024年3月13日 星期三") == "running header"
    assert pb._furniture_kind("开发区召开会议") == ""


def test_spanning_word_stops_at_non_cjk():
    class Lex:
        def __init__(self, words):
            self.words = words

        def freq(self, w):
            return self.words.get(w, 0)

    lex = Lex({"战略": 10, "战略性": 20, "a略": 99})
    assert pb.spanning_word("具有战", "略性全局", lex) == "战略性"
    assert pb.spanning_word("具有a", "略性", lex) == ""
    assert pb.spanning_word("战", "略", lex) == "战略"
