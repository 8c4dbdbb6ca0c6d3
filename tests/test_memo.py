"""Rule memos stay within their cap however many distinct lines a dump has."""

from cleaner.checks import pagebreak
from cleaner.memo import MEMO_ENTRIES, store


def test_store_returns_the_value_and_empties_a_full_memo():
    memo: dict = {}
    for i in range(MEMO_ENTRIES * 3 + 5):
        assert store(memo, i, i * 2) == i * 2
        assert len(memo) <= MEMO_ENTRIES
    assert memo[MEMO_ENTRIES * 3 + 4] == (MEMO_ENTRIES * 3 + 4) * 2


def test_judge_break_memo_is_bounded():
    pagebreak.clear_memos()
    for i in range(MEMO_ENTRIES + 50):
        pagebreak.judge_break(f"第{i}行的文字没有结束", f"继续第{i}行", None)
    assert 0 < len(pagebreak._JUDGED) <= MEMO_ENTRIES
