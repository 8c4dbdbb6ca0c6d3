#!/usr/bin/env python3
"""Generate multi-page newspaper issues with split and scrambled articles, and
score ``cleaner.articles`` on them.

The articles are synthetic news written from templates (places, people,
companies and topic terms drawn at random), not the samples. Each issue has a
few pages; some articles are split across pages, with jump markers
(``（下转第3版）`` / ``（上接第1版）``) or without them, cut between paragraphs
or in the middle of a sentence; some are printed scrambled on their page
(the second half first, the first half after the byline, as in sample 001),
some have their headline printed after their body (as in sample 003).

Scores:
    rejoined   share of split/scrambled articles whose pieces come back as one
               record, complete and in reading order
    false      records holding text of two or more different articles
    pair F1    pairwise precision/recall of "these two paragraphs are in the
               same article" over all body segments

Usage:
    python bench/gen_issues.py [--issues 40] [--seed 1] [--write DIR] [-v]
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLACES = ["东阳", "青岩", "丰宁", "河口", "柳江", "南屏", "西乡", "白鹭", "石门", "云溪", "松岭", "桃源",
          "金川", "龙泉", "清河", "望江", "古城", "新桥", "双峰", "安平", "北塘", "凤凰", "玉屏", "长乐"]
ZONES = ["经济技术开发区", "高新技术产业开发区", "经济开发区", "现代农业产业示范区", "工业园区", "综合保税区"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "建国志强明远海涛文静晓燕立新丽华永刚秀英国庆玉兰春生红梅德福振宇慧敏光辉雪松天翔佳怡"
TOPICS = {
    "新能源汽车": ["动力电池", "整车制造", "充电桩", "电驱系统", "轻量化车身", "换电站"],
    "冷链物流": ["冷库", "保鲜仓储", "冷藏车", "分拣中心", "温控系统", "生鲜配送"],
    "数字经济": ["数据中心", "算力平台", "工业互联网", "云服务", "软件外包", "数字孪生"],
    "乡村旅游": ["民宿", "农家乐", "采摘园", "研学基地", "古村落", "游客中心"],
    "生物医药": ["原料药", "医疗器械", "中药材", "疫苗研发", "临床试验", "制剂车间"],
    "光伏储能": ["光伏组件", "储能电站", "逆变器", "分布式光伏", "硅片", "电池片"],
    "特色农业": ["小杂粮", "食用菌", "设施蔬菜", "中药材种植", "肉牛养殖", "有机旱作"],
    "装备制造": ["数控机床", "液压件", "轴承", "铸造件", "智能产线", "工业机器人"],
    "新材料": ["碳纤维", "特种钢", "铝合金型材", "石墨烯", "磁性材料", "陶瓷膜"],
    "安全生产": ["隐患排查", "应急演练", "危化品", "消防设施", "安全培训", "有限空间"],
    "营商环境": ["一枚印章", "帮办代办", "容缺受理", "拿地即开工", "企业服务专员", "政务大厅"],
    "生态环境": ["污水处理", "河道治理", "扬尘管控", "固废利用", "在线监测", "湿地修复"],
}
FIRM1 = "华鑫瑞恒泰宏盛源中天卓正金银晶联益嘉和博德兴"
FIRM2 = "达通远丰新安海诚信源隆祥科邦晟峰辉美"
COMPANY_SUFFIX = ["科技有限公司", "实业集团", "新材料股份公司", "智能装备公司", "农业开发公司"]

LEAD = [
    "本报讯 {date}，{place}{zone}召开{topic}产业推进会，研究部署{t1}和{t2}项目建设，{person}出席会议并讲话。",
    "科技日报讯 近日，{place}{zone}围绕{topic}产业发展，组织{t1}、{t2}等重点企业开展专题调研。",
    "本刊讯 今年以来，{place}{zone}聚焦{topic}主导产业，以{t1}项目为牵引，推动产业链上下游协同发展。",
]
BODY = [
    "{person}指出，发展{topic}产业是{place}转型升级的关键一招，要把{t1}作为突破口，集中力量攻坚，确保项目按期建成投产。",
    "在{company}的生产车间里，工人们正在调试新上线的{t1}设备。企业负责人介绍，项目全部达产后，年产值可达{num}亿元，带动就业{num2}余人。",
    "围绕{t2}环节，{place}{zone}建立了专班推进机制，实行一个项目、一名领导、一套方案，及时协调解决用地、用电、融资等问题。",
    "截至目前，{place}{zone}已引进{topic}相关企业{num}家，{t1}和{t2}两个产业集群初具规模，园区产业结构持续优化。",
    "会上，{company}、{company2}等企业代表分别介绍了{t1}项目进展情况，并就{t2}配套问题提出了意见建议。",
    "{person}要求，各部门要强化服务意识，主动对接企业需求，在{t2}建设中做到靠前服务、全程跟踪，为{topic}产业发展营造良好环境。",
    "据了解，{company}总投资{num}亿元建设的{t1}项目，目前主体工程已经完工，预计{month}月份进入设备安装阶段。",
    "下一步，{place}{zone}将继续做强{topic}产业链条，加快{t1}、{t2}等关键环节布局，为县域经济高质量发展注入新动能。",
    "为破解{t2}领域的人才短缺难题，园区与省内高校共建实训基地，今年已为{company}等企业定向培养技术工人{num2}名。",
    "{place}{zone}负责人表示，将以{t1}项目为抓手，统筹推进招商引资和项目建设，努力在{topic}领域形成新的增长极。",
]
POINTS = [
    "{n}是强化{t}保障。{place}{zone}围绕{topic}产业需求，完善{t}配套措施，为{company}等重点企业提供全流程服务。",
    "{n}是提升{t}水平。通过引进先进技术和管理经验，{t}环节的效率明显提高，企业综合成本平均下降{num}个百分点。",
    "{n}是加快{t}建设。园区统筹安排专项资金{num}亿元，支持{t}项目建设，力争年内全面投入使用。",
]
CN = "一二三四五六七八九"


@dataclass
class Article:
    aid: int
    title: str
    zone: str | None
    paras: list[str]
    byline: str
    has_lead: bool


@dataclass
class Issue:
    pages: dict[int, list[str]] = field(default_factory=dict)  # page -> lines
    labels: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # (page, line) -> (aid, seg order)
    split: set[int] = field(default_factory=set)
    kinds: dict[int, str] = field(default_factory=dict)  # aid -> how it was split
    articles: dict[int, Article] = field(default_factory=dict)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))


def make_article(rng: random.Random, aid: int) -> Article:
    place = rng.choice(PLACES)
    zone = rng.choice(ZONES)
    topic = rng.choice(list(TOPICS))
    terms = TOPICS[topic]
    person = _person(rng)
    company = place + rng.choice(FIRM1) + rng.choice(FIRM2) + rng.choice(COMPANY_SUFFIX)
    company2 = rng.choice(PLACES) + rng.choice(FIRM1) + rng.choice(FIRM2) + rng.choice(COMPANY_SUFFIX)

    def fill(tpl: str, **kw: str) -> str:
        t1, t2 = rng.sample(terms, 2)
        return tpl.format(place=place, zone=zone, topic=topic, person=person, company=company, company2=company2,
                        t1=t1, t2=t2, num=str(rng.randint(2, 60)), num2=str(rng.randint(100, 900)),
                        month=str(rng.randint(3, 11)), date=f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日", **kw)

    has_lead = rng.random() < 0.8
    paras = [fill(rng.choice(LEAD))] if has_lead else []
    body = rng.sample(BODY, rng.randint(3, 6))
    paras += [fill(b) for b in body[:-1]]
    if rng.random() < 0.4:
        for k, t in enumerate(rng.sample(terms, rng.randint(3, 5))):
            paras.append(fill(rng.choice(POINTS), n=CN[k], t=t))
    paras.append(fill(body[-1]))
    verbs = ["推动", "做强", "壮大", "加快发展", "培育"]
    tails = ["跑出加速度", "按下快进键", "激活新动能", "再上新台阶", "打造新引擎"]
    title = f"{rng.choice(verbs)}{topic}产业 {rng.choice(tails)}"
    byline = _person(rng) if rng.random() < 0.5 else _person(rng) + " " + _person(rng)
    return Article(aid, title, place + zone if rng.random() < 0.7 else None, paras, byline, has_lead)


def cut_paragraph(rng: random.Random, paras: list[str], mid_sentence: bool) -> tuple[list[str], list[str]]:
    """Split body paragraphs in two: between paragraphs, or inside one, in the middle of a sentence."""
    k = rng.randint(1, len(paras) - 1)
    if not mid_sentence:
        return paras[:k], paras[k:]
    p = paras[k]
    cuts = [i for i in range(6, len(p) - 6) if "\u4e00" <= p[i - 1] <= "\u9fff" and "\u4e00" <= p[i] <= "\u9fff"]
    i = rng.choice(cuts)
    return paras[:k] + [p[:i]], [p[i:]] + paras[k + 1:]


def gen_issue(rng: random.Random, n_pages: int = 4, start_aid: int = 0) -> Issue:
    iss = Issue()
    aid = start_aid
    # blocks per page: list of (aid, seg_start_order, lines-with-seg-tags)
    page_blocks: dict[int, list[list[tuple[str, tuple[int, int] | None]]]] = {p: [] for p in range(1, n_pages + 1)}
    tails: dict[int, list[list[tuple[str, tuple[int, int] | None]]]] = {p: [] for p in range(1, n_pages + 1)}
    for page in range(1, n_pages + 1):
        for _ in range(rng.randint(2, 4)):
            art = make_article(rng, aid)
            iss.articles[aid] = art
            aid += 1
            head = ([art.zone] if art.zone else []) + [art.title]
            r = rng.random()
            mid = rng.random() < 0.6
            if r < 0.35 and page < n_pages and len(art.paras) >= 3:
                # split across pages
                iss.split.add(art.aid)
                to_page = rng.randint(page + 1, n_pages)
                a, b = cut_paragraph(rng, art.paras, mid)
                markers = rng.random() < 0.5
                iss.kinds[art.aid] = ("markers" if markers else "no markers") + (", mid-sentence" if mid else ", between paragraphs")
                segs_a = [(t, (art.aid, k)) for k, t in enumerate(a)]
                segs_b = [(t, (art.aid, len(a) + k)) for k, t in enumerate(b)]
                if markers:
                    segs_a[-1] = (segs_a[-1][0] + f"（下转第{to_page}版）", segs_a[-1][1])
                    segs_b[0] = (f"（上接第{page}版）" + segs_b[0][0], segs_b[0][1])
                block_a = [(h, None) for h in head] + segs_a
                cont_head = [(art.title, None)] if markers and rng.random() < 0.4 else []
                block_b = cont_head + segs_b + [(art.byline, None)]
                page_blocks[page].append(block_a)
                tails[to_page].append(block_b)
            elif r < 0.5 and len(art.paras) >= 4:
                # scrambled on its page: second half first, then byline, then first half (cut mid-sentence)
                iss.split.add(art.aid)
                iss.kinds[art.aid] = "scrambled on its page"
                a, b = cut_paragraph(rng, art.paras, True)
                segs_a = [(t, (art.aid, k)) for k, t in enumerate(a)]
                segs_b = [(t, (art.aid, len(a) + k)) for k, t in enumerate(b)]
                page_blocks[page].append([(h, None) for h in head] + segs_b + [(art.byline, None)] + segs_a)
            elif r < 0.6 and art.has_lead:
                # headline printed after its body (the next block must open with a zone label)
                segs = [(t, (art.aid, k)) for k, t in enumerate(art.paras)]
                page_blocks[page].append(segs + [(art.byline, None), (art.title, None), ("@ZONE@", None)])
            else:
                segs = [(t, (art.aid, k)) for k, t in enumerate(art.paras)]
                page_blocks[page].append([(h, None) for h in head] + segs + [(art.byline, None)])
    for page in range(1, n_pages + 1):
        blocks = tails[page] + page_blocks[page]
        lines: list[str] = []
        for bi, block in enumerate(blocks):
            for text, lab in block:
                if text == "@ZONE@":
                    nxt = blocks[bi + 1] if bi + 1 < len(blocks) else None
                    if nxt is None or nxt[0][1] is not None or not nxt[0][0].endswith(tuple(ZONES)):
                        # make sure a zone label follows: give the next article one
                        lines.append(rng.choice(PLACES) + rng.choice(ZONES))
                        lines.append("")
                    continue
                if lab is not None:
                    iss.labels[(page, len(lines) + 1)] = lab
                lines.append(text)
                lines.append("")
        iss.pages[page] = lines
    return iss


def write_issue(iss: Issue, folder: Path) -> list[tuple[str, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    items = []
    for page, lines in iss.pages.items():
        p = folder / f"page_{page:02d}.txt"
        text = "\n".join(lines)
        p.write_text(text, encoding="utf-8")
        items.append((str(p), text))
    return items


def score(issues: list[tuple[Issue, list[tuple[str, str]]]], verbose: bool = False) -> dict[str, float]:
    from cleaner.articles import build_articles

    n_split = ok_split = false_joins = records = 0
    tp = fp = fn = 0
    by_kind: dict[str, list[int]] = {}
    for iss, items in issues:
        recs = build_articles(items)
        page_of = {path: int(Path(path).stem.split("_")[1]) for path, _ in items}
        seg_rec: dict[tuple[int, int], int] = {}
        rec_segs: list[list[tuple[int, int]]] = []
        for ri, r in enumerate(recs):
            segs = []
            for s in r["sources"]:
                pg = page_of[s["path"]]
                for ln in range(s["lines"][0], s["lines"][1] + 1):
                    lab = iss.labels.get((pg, ln))
                    if lab is not None:
                        segs.append(lab)
                        seg_rec[lab] = ri
            rec_segs.append(segs)
            records += 1
            if len({a for a, _ in segs}) > 1:
                false_joins += 1
                if verbose:
                    print("FALSE JOIN", r["title"], r["evidence"])
        for aid in iss.split:
            n_split += 1
            want = sorted(k for k in iss.labels.values() if k[0] == aid)
            rs = {seg_rec.get(k) for k in want}
            good = len(rs) == 1 and None not in rs and [s for s in rec_segs[rs.pop()] if s[0] == aid] == want
            ok_split += good
            kind = iss.kinds.get(aid, "?")
            by_kind.setdefault(kind, [0, 0])
            by_kind[kind][0] += good
            by_kind[kind][1] += 1
            if verbose and not good:
                print("NOT REJOINED", aid, kind, iss.articles[aid].title, [seg_rec.get(k) for k in want])
        labs = list(iss.labels.values())
        for x in range(len(labs)):
            for y in range(x + 1, len(labs)):
                same = labs[x][0] == labs[y][0]
                pred = seg_rec.get(labs[x]) is not None and seg_rec.get(labs[x]) == seg_rec.get(labs[y])
                tp += same and pred
                fp += pred and not same
                fn += same and not pred
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    if verbose:
        for kind, (g, n) in sorted(by_kind.items()):
            print(f"  {kind:35s} {g}/{n}")
    return {
        "split_articles": n_split,
        "rejoined": ok_split / n_split if n_split else 1.0,
        "false_joins": false_joins,
        "records": records,
        "pair_precision": prec,
        "pair_recall": rec,
        "pair_f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--issues", type=int, default=40)
    ap.add_argument("--pages", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--write", type=Path, help="keep the generated issues in this folder")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    import tempfile

    rng = random.Random(a.seed)
    with tempfile.TemporaryDirectory() as tmp:
        base = a.write or Path(tmp)
        issues = []
        aid = 0
        for k in range(a.issues):
            iss = gen_issue(rng, a.pages, aid)
            aid += len(iss.articles)
            issues.append((iss, write_issue(iss, base / f"issue_{k:03d}")))
        res = score(issues, a.verbose)
    for k, v in res.items():
        print(f"{k:15s} {v:.3f}" if isinstance(v, float) else f"{k:15s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
