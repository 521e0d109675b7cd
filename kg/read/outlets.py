"""Read stage, outlets: an article's URL or site name → the outlet and the province it serves.

Input: a URL, a host or an outlet name (``og:site_name``); output: the :class:`Outlet` of
``kg/data/gazetteers/outlets.jsonl`` (read once, cached) and its province id, as
``kg/data/gazetteers/places.jsonl`` spells it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kg.errors import DataFileError
from kg.resources import data_path, read_jsonl

if TYPE_CHECKING:
    from pathlib import Path

    from kg.model import Article

__all__ = [
    "OUTLETS_FILE",
    "Outlet",
    "article_outlet_province",
    "find_outlet",
    "host_of",
    "outlet_province",
    "read_outlets",
    "url_domain",
]

#: The gazetteer of outlets, relative to ``kg/data``.
OUTLETS_FILE = "gazetteers/outlets.jsonl"
#: The kinds of outlet; every kind but "national" belongs to one province.
KINDS = ("party-paper", "portal", "local", "national")
#: The day the 63 provinces became 34 (when a record gives no ``since``).
MERGER_DATE = "2025-07-01"

_HOST_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True, slots=True)
class Outlet:
    """One outlet domain of the gazetteer.

    Attributes:
        domain: the host without prefixes (``baolangson.vn``).
        name: the outlet's English name.
        kind: one of :data:`KINDS`.
        province: the 63-unit province it belongs to; None for national outlets.
        province_2025: the 34-unit province it belongs to after the 2025 merger.
        since: the day ``province_2025`` took over (``YYYY-MM-DD``).
        aliases: other names of the outlet (Vietnamese, site names).
    """

    domain: str
    name: str
    kind: str
    province: str | None = None
    province_2025: str | None = None
    since: str = MERGER_DATE
    aliases: tuple[str, ...] = ()

    def province_on(self, date: str | None = None) -> str | None:
        """Return the province on ``date``: the merged one from :attr:`since` on.

        Without a date the province is the outlet's own (the 63-unit one).

        Examples:
            >>> o = Outlet("baobacgiang.vn", "Bac Giang Newspaper", "party-paper",
            ...            "bac-giang", "bac-ninh")
            >>> o.province_on(), o.province_on("2025-06-30"), o.province_on("2025-07-01")
            ('bac-giang', 'bac-giang', 'bac-ninh')
        """
        if date is None or self.province_2025 is None or date < self.since:
            return self.province
        return self.province_2025


def host_of(url_or_host: str | None) -> str | None:
    """Return the lower-case host of a URL or bare host; None when it is neither.

    Examples:
        >>> host_of("https://EN.BaoLangSon.vn:443/news/1.html?x=1")
        'en.baolangson.vn'
        >>> host_of("www.vietnamplus.vn/politics")
        'www.vietnamplus.vn'
        >>> host_of("Báo Lạng Sơn") is None
        True
    """
    if not url_or_host:
        return None
    text = url_or_host.strip().lower()
    if "://" in text or text.startswith("//"):
        try:
            host = urlsplit(text if "://" in text else f"http:{text}").hostname or ""
        except ValueError:
            return None
    else:
        host = re.split(r"[/?#:]", text, maxsplit=1)[0]
    host = host.rstrip(".")
    return host if _HOST_RE.fullmatch(host) else None


def url_domain(url: str | None) -> str | None:
    """Return a URL's host without ``www.``: the outlet when nothing names it.

    Examples:
        >>> url_domain("https://www.baodanang.vn/chinh-tri/a.html")
        'baodanang.vn'
        >>> url_domain("not a url") is None
        True
    """
    host = host_of(url)
    if host is None:
        return None
    return host[4:] if host.startswith("www.") and host.count(".") > 1 else host


def find_outlet(url_or_outlet: str | None) -> Outlet | None:
    """Look up the outlet of a URL, a host or an outlet name.

    A host is matched by its longest suffix in the gazetteer, so prefixes such as
    ``www.``, ``en.``, ``english.`` or ``old.`` need not be listed
    (``old.baolangson.vn`` is ``baolangson.vn``). Anything else is taken as a name and
    matched against names and aliases, ignoring case, diacritics and punctuation.

    Args:
        url_or_outlet: a URL, a host or a site name; None or blank finds nothing.

    Returns:
        The Outlet, or None when the gazetteer does not know it.

    Raises:
        DataFileError: the gazetteer is malformed.

    Examples:
        >>> find_outlet("https://old.baolangson.vn/en/a.html").domain
        'baolangson.vn'
        >>> find_outlet("Báo Lạng Sơn điện tử").province
        'lang-son'
    """
    if not url_or_outlet or not url_or_outlet.strip():
        return None
    by_domain, by_name = _outlets()
    host = host_of(url_or_outlet)
    if host is not None:
        labels = host.split(".")
        for i in range(len(labels) - 1):
            found = by_domain.get(".".join(labels[i:]))
            if found is not None:
                return found
    return by_name.get(_name_key(url_or_outlet))


def outlet_province(url_or_outlet: str | None, *, date: str | None = None) -> str | None:
    """Return the province id of the outlet of a URL, host or outlet name.

    Args:
        url_or_outlet: a URL, a host or a site name.
        date: the article's date (``YYYY-MM-DD``); from the 2025 merger on, the
            merged province is returned (Bac Giang's paper then serves Bac Ninh).

    Returns:
        The place id (as in ``places.jsonl``), or None for national or unknown outlets.

    Examples:
        >>> outlet_province("https://en.baobacgiang.com.vn/bg/local-news/")
        'bac-giang'
        >>> outlet_province("baobacgiang.vn", date="2025-09-02")
        'bac-ninh'
        >>> outlet_province("https://en.vietnamplus.vn/a.vnp") is None
        True
    """
    outlet = find_outlet(url_or_outlet)
    return None if outlet is None else outlet.province_on(date)


def article_outlet_province(article: Article) -> str | None:
    """Return the province of an article's outlet, from its URL, else its outlet name.

    The article's date chooses between the old and the merged province
    (:meth:`Outlet.province_on`).
    """
    for key in (article.url, article.outlet):
        outlet = find_outlet(key)
        if outlet is not None:
            return outlet.province_on(article.date)
    return None


# --------------------------------------------------------------------------- loading


def read_outlets(path: Path) -> tuple[Outlet, ...]:
    """Read and check an outlet gazetteer (``kg/data/gazetteers/outlets.jsonl``'s format).

    Args:
        path: the JSONL file.

    Returns:
        Its outlets, in file order.

    Raises:
        DataFileError: a record is malformed or a domain is listed twice.
    """
    outlets: list[Outlet] = []
    seen: set[str] = set()
    for rec in read_jsonl(path, ("domain", "name", "kind")):
        outlet = _outlet(rec, str(path))
        if outlet.domain in seen:
            raise DataFileError(str(path), None, f'domain "{outlet.domain}" is listed twice')
        seen.add(outlet.domain)
        outlets.append(outlet)
    return tuple(outlets)


@cache
def _outlets() -> tuple[dict[str, Outlet], dict[str, Outlet]]:
    """Read the gazetteer once: outlets by domain and by normalised name."""
    outlets = read_outlets(data_path(OUTLETS_FILE))
    by_domain = {outlet.domain: outlet for outlet in outlets}
    by_name: dict[str, Outlet] = {}
    for outlet in outlets:
        for name in (outlet.name, *outlet.aliases):
            by_name.setdefault(_name_key(name), outlet)
    return by_domain, by_name


def _outlet(rec: dict[str, Any], path: str) -> Outlet:
    """Check one gazetteer record and build its Outlet."""
    domain = rec["domain"]

    def problem(text: str) -> DataFileError:
        return DataFileError(path, None, f'domain "{domain}": {text}')

    if not isinstance(domain, str) or host_of(domain) != domain:
        raise DataFileError(path, None, f"not a lower-case host name: {domain!r}")
    if domain.startswith("www."):
        raise problem('list it without "www."')
    kind = rec["kind"]
    if kind not in KINDS:
        raise problem(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if not isinstance(rec["name"], str) or not rec["name"].strip():
        raise problem('"name" is empty')
    province, merged = rec.get("province"), rec.get("province_2025")
    if kind == "national":
        if province is not None or merged is not None:
            raise problem("a national outlet has no province")
    elif not isinstance(province, str) or not isinstance(merged, str):
        raise problem(f'a {kind} needs "province" and "province_2025"')
    since = rec.get("since", MERGER_DATE)
    if not isinstance(since, str) or not _DATE_RE.fullmatch(since):
        raise problem(f'"since" is not a date (YYYY-MM-DD): {since!r}')
    aliases = rec.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise problem('"aliases" is not a list of strings')
    return Outlet(domain, rec["name"], kind, province, merged, since, tuple(aliases))


def _name_key(name: str) -> str:
    """Fold a name for lookup: no diacritics, no case, single spaces between words.

    Examples:
        >>> _name_key("  Báo Đồng Khởi – điện tử ")
        'bao dong khoi dien tu'
    """
    folded = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return _NON_ALNUM_RE.sub(" ", ascii_only).strip()
