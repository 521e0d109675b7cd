from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import DataFileError, InputError
from kg.model import Article, ArticleGraph
from kg.read.articles import read_articles
from kg.read.outlets import (
    OUTLETS_FILE,
    article_outlet_province,
    find_outlet,
    outlet_province,
    read_outlets,
    url_domain,
)
from kg.resources import data_path, load_jsonl

BODY = "Ông Lò Văn Tím chaired the meeting of the Provincial Party Committee on Tuesday. " * 3


def only_article(path: Path) -> Article:
    items = list(read_articles([str(path)]))
    assert len(items) == 1, items
    assert isinstance(items[0], Article), items[0]
    return items[0]


def provinces_63() -> dict[str, dict[str, object]]:
    """The 63 provinces and centrally-run cities of 2008-2025, by id."""
    return {
        p["id"]: p
        for p in load_jsonl("gazetteers/places.jsonl")
        if p["kind"] == "province"
        and p.get("period") in ("2008-2025", "both")
        and not p.get("foreign")
    }


# --------------------------------------------------------------------------- reading


def test_outlets_jsonl_reads_url_and_outlet(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        {"id": "a", "text": BODY, "url": "https://en.baomuongthanh.vn/a.html", "outlet": "Báo X"},
        {"id": "b", "text": BODY, "url": "https://www.baomuongthanh.vn/b.html"},
        {"id": "c", "text": BODY, "outlet": "  Muong Thanh Post "},
        {"id": "d", "text": BODY},
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    arts = [a for a in read_articles([str(path)]) if isinstance(a, Article)]
    got = [(a.doc_id, a.url, a.outlet) for a in arts]
    assert got == [
        ("a", "https://en.baomuongthanh.vn/a.html", "Báo X"),
        ("b", "https://www.baomuongthanh.vn/b.html", "baomuongthanh.vn"),
        ("c", None, "Muong Thanh Post"),
        ("d", None, None),
    ]


def test_outlets_jsonl_refuses_an_outlet_that_is_not_a_string(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"text": BODY, "outlet": 7}) + "\n", encoding="utf-8")
    (item,) = read_articles([str(path)])
    assert isinstance(item, InputError)
    assert item.path == f"{path}:1"
    assert '"outlet" is not a string' in str(item)


def test_outlets_csv_reads_url_and_outlet(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    path.write_text(
        "id,outlet,url,text\n"
        f'x1,Báo Mường Thanh,http://baomuongthanh.vn/x1,"{BODY}"\n'
        f'x2,,https://old.baomuongthanh.vn/x2,"{BODY}"\n',
        encoding="utf-8",
    )
    arts = [a for a in read_articles([str(path)]) if isinstance(a, Article)]
    assert [(a.url, a.outlet) for a in arts] == [
        ("http://baomuongthanh.vn/x1", "Báo Mường Thanh"),
        ("https://old.baomuongthanh.vn/x2", "old.baomuongthanh.vn"),
    ]


def page(head: str) -> str:
    paragraphs = "".join(f"<p>{BODY} Paragraph {n}.</p>" for n in range(4))
    return (
        f"<html><head><title>Muong Thanh meets</title>{head}</head>"
        f"<body><article><h1>Muong Thanh meets</h1>{paragraphs}</article></body></html>"
    )


def test_outlets_html_reads_og_url_and_site_name(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(
        page(
            '<meta property="og:url" content="https://en.baomuongthanh.vn/news/a-1.html">'
            '<meta property="og:site_name" content="Mường Thanh Online">'
        ),
        encoding="utf-8",
    )
    art = only_article(path)
    assert art.url == "https://en.baomuongthanh.vn/news/a-1.html"
    assert art.outlet == "Mường Thanh Online"


def test_outlets_html_canonical_link_gives_url_and_domain(tmp_path: Path) -> None:
    path = tmp_path / "b.html"
    path.write_text(
        page('<link rel="canonical" href="https://www.baomuongthanh.vn/news/b-2.html">'),
        encoding="utf-8",
    )
    art = only_article(path)
    assert art.url == "https://www.baomuongthanh.vn/news/b-2.html"
    assert art.outlet == "baomuongthanh.vn"


def test_outlets_text_file_has_neither(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(BODY, encoding="utf-8")
    art = only_article(path)
    assert (art.url, art.outlet) == (None, None)


def test_outlets_model_writes_outlet_only_when_known() -> None:
    plain = ArticleGraph(Article("p.txt", "", source="p.txt", url="https://x.vn/1"))
    assert "outlet" not in plain.to_dict()
    named = ArticleGraph(Article("n.txt", "", url="https://x.vn/1", outlet="x.vn"))
    d = named.to_dict()
    assert d["outlet"] == "x.vn"
    assert ArticleGraph.from_dict(d).article.outlet == "x.vn"


# --------------------------------------------------------------------------- lookup


@pytest.mark.parametrize(
    ("key", "province"),
    [
        ("baolangson.vn", "lang-son"),
        ("https://www.baolangson.vn/politics/a-1.html", "lang-son"),
        ("https://old.baolangson.vn/en/politics/a-1.html", "lang-son"),
        ("http://en.baohoabinh.com.vn/1/4005/x.htm", "hoa-binh"),
        ("english.hanoi.gov.vn/featured-news/x.htm", "hanoi"),
        ("https://ENGLISH.BaoQuangNinh.vn/rss/news.rss", "quang-ninh"),
        ("//portal.soctrang.gov.vn/wps/portal", "soc-trang"),
        ("https://en.sggp.org.vn/x-post1.html", "ho-chi-minh-city"),
        ("https://www.sggpnews.org.vn/x-post2.html", "ho-chi-minh-city"),
        ("Báo Đồng Khởi", "ben-tre"),
        ("bao dong khoi dien tu", "ben-tre"),
        ("Báo Lạng Sơn điện tử", "lang-son"),
        ("Hanoi Moi", "hanoi"),
        ("https://en.vietnamplus.vn/x/1.vnp", None),
        ("https://news.laodong.vn/thoi-su/x.ldo", None),
        ("VnExpress", None),
        ("https://www.example.com/a", None),
        ("gov.vn", None),
        ("Some Outlet Nobody Knows", None),
        ("", None),
        (None, None),
    ],
)
def test_outlets_outlet_province(key: str | None, province: str | None) -> None:
    assert outlet_province(key) == province


def test_outlets_province_follows_the_merger_by_date() -> None:
    assert outlet_province("baobacgiang.vn") == "bac-giang"
    assert outlet_province("baobacgiang.vn", date="2025-06-30") == "bac-giang"
    assert outlet_province("baobacgiang.vn", date="2025-07-01") == "bac-ninh"
    assert outlet_province("baolangson.vn", date="2025-09-01") == "lang-son"
    # Thua Thien Hue became the city of Hue half a year before the merger.
    assert outlet_province("huengaynay.vn", date="2024-12-31") == "thua-thien-hue"
    assert outlet_province("huengaynay.vn", date="2025-01-01") == "hue"


def test_outlets_article_province_prefers_the_url() -> None:
    url = "https://en.baoapbac.vn/a"
    art = Article("a", "", url=url, outlet="Báo Đồng Khởi", date="2025-08-01")
    assert article_outlet_province(art) == "dong-thap"
    by_name = Article("b", "", url="https://example.org/b", outlet="Báo Đồng Khởi")
    assert article_outlet_province(by_name) == "ben-tre"
    assert article_outlet_province(Article("c", "")) is None


def test_outlets_url_domain_drops_only_www() -> None:
    assert url_domain("https://www.baodanang.vn/a") == "baodanang.vn"
    assert url_domain("https://en.baodanang.vn/a") == "en.baodanang.vn"
    assert url_domain(None) is None


# --------------------------------------------------------------------------- the data


def test_outlets_provinces_exist_in_places() -> None:
    places = {p["id"]: p for p in load_jsonl("gazetteers/places.jsonl")}
    provinces = provinces_63()
    for outlet in read_outlets(data_path(OUTLETS_FILE)):
        if outlet.kind == "national":
            continue
        assert outlet.province in provinces, outlet
        merged = places[outlet.province].get("merged_into", outlet.province)
        assert outlet.province_2025 == merged, outlet
        assert places[merged]["kind"] == "province", outlet
        assert places[merged].get("period") in ("both", "2025-"), outlet


def test_outlets_every_province_has_a_paper_and_a_portal() -> None:
    provinces = provinces_63()
    assert len(provinces) == 63
    outlets = read_outlets(data_path(OUTLETS_FILE))
    for kind in ("party-paper", "portal"):
        covered = {o.province for o in outlets if o.kind == kind}
        assert sorted(set(provinces) - covered) == [], kind


def test_outlets_names_point_to_one_province() -> None:
    for outlet in read_outlets(data_path(OUTLETS_FILE)):
        for name in (outlet.name, *outlet.aliases):
            found = find_outlet(name)
            assert found is not None, name
            assert found.province == outlet.province, (name, found, outlet)


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"domain": "www.x.vn", "name": "X", "kind": "national"}, 'without "www."'),
        ({"domain": "X.vn", "name": "X", "kind": "national"}, "not a lower-case host name"),
        ({"domain": "x.vn", "name": "X", "kind": "paper"}, "kind 'paper' is not one of"),
        ({"domain": "x.vn", "name": "X", "kind": "portal"}, 'needs "province"'),
        ({"domain": "x.vn", "name": "X", "kind": "national", "province": "a"}, "no province"),
        ({"domain": "x.vn", "name": "", "kind": "national"}, '"name" is empty'),
        ({"domain": "x.vn", "kind": "national"}, '"name" missing'),
        (
            {"domain": "x.vn", "name": "X", "kind": "national", "aliases": "Y"},
            '"aliases" is not a list',
        ),
    ],
)
def test_outlets_bad_gazetteer_is_named(
    tmp_path: Path, record: dict[str, object], problem: str
) -> None:
    path = tmp_path / "outlets.jsonl"
    path.write_text("# a comment\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=problem) as err:
        read_outlets(path)
    assert str(err.value).startswith(str(path))


def test_outlets_duplicate_domain_is_named(tmp_path: Path) -> None:
    path = tmp_path / "outlets.jsonl"
    rec = json.dumps({"domain": "x.vn", "name": "X", "kind": "national"})
    path.write_text(f"{rec}\n{rec}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match='domain "x.vn" is listed twice'):
        read_outlets(path)
