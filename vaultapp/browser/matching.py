"""Which entries a web page's URL should get, and in what order (no Qt, no network).

An entry offers its ``url`` and every custom field named ``KP2A_URL`` or ``KP2A_URL_<anything>``
(the additional-URL convention of KeePassXC and Keepass2Android, so imported KDBX entries keep
theirs). An entry URL matches a page when

- the schemes are equal (an entry URL without a scheme, ``github.com/login``, takes http and https);
- the ports are equal, a missing port being the scheme's default (``http://127.0.0.1:443`` is not
  ``http://127.0.0.1``; ``example.com`` does not match ``https://example.com:8443``);
- the hosts are equal, or the page's host is a subdomain of the entry's host (``example.com``
  serves ``login.example.com``; an entry for ``www.example.com`` counts as ``example.com``), as
  long as the entry's host is itself a registered domain or below one: an entry for ``co.uk``
  or ``github.io`` serves nobody else (the Public Suffix List, shipped by ``publicsuffixlist``).
  IP addresses match only themselves.

The score orders matches: the same host before a subdomain, and for each the same path before a
path the page's path lies under (longest first), then an entry for the whole site, then one whose
path differs (the query counts only on the same path). The form's ``submitUrl`` is scored too, a
little below the page.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

    from vaultapp.core import Entry

URL_FIELD: Final = "KP2A_URL"  # extra URLs: custom fields named KP2A_URL or KP2A_URL_<anything>
DEFAULT_PORTS: Final = {"http": 80, "https": 443, "ftp": 21}
WEB: Final = ("http", "https")

# Score parts (a match scores 1-100; 0 is no match).
SAME_HOST: Final = 40
SUBDOMAIN: Final = 20
SAME_PATH: Final = 60
WHOLE_SITE: Final = 40
UNDER_PATH: Final = 41  # + up to 14 for each segment of the entry's path
OTHER_PATH: Final = 25
FORM_PENALTY: Final = 5


@dataclass(frozen=True, slots=True)
class Site:
    """A URL cut into what matching compares. ``scheme`` is "" for an entry URL without one."""

    scheme: str
    host: str
    port: int | None  # explicit or the scheme's default; None: the default of either web scheme
    path: str  # without a trailing slash; "" for the root
    query: str


@functools.cache
def _psl() -> PublicSuffixList:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


@functools.lru_cache(maxsize=65536)
def is_ip(host: str) -> bool:
    """An IP address, or a name that ends in a number (``10.0.1``, which browsers read as one)."""
    if host.rsplit(".", 1)[-1].isdigit():
        return True
    if ":" not in host:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=65536)
def parse(url: str) -> Site | None:
    """``url`` as a Site, or None when it has no host (or is not a URL at all)."""
    text = url.strip()
    if not text:
        return None
    schemeless = "://" not in text
    try:
        parts = urlsplit("//" + text if schemeless else text)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return None
    scheme = "" if schemeless else parts.scheme.lower()
    if port is None and scheme:
        port = DEFAULT_PORTS.get(scheme)
    return Site(scheme, host, port, parts.path.rstrip("/"), parts.query)


@functools.lru_cache(maxsize=4096)
def registered_domain(host: str) -> str | None:
    """``login.example.co.uk`` -> ``example.co.uk``; an IP address is its own; None for a
    public suffix (``co.uk``) or a name the list does not know as registrable (``localhost``)."""
    if is_ip(host):
        return host
    found = _psl().privatesuffix(host)
    return found if isinstance(found, str) else None


def host_score(entry_host: str, page_host: str) -> int:
    """SAME_HOST, SUBDOMAIN or 0 (see the module docstring)."""
    if entry_host == page_host:
        return SAME_HOST
    base = entry_host.removeprefix("www.")
    if page_host != base and not page_host.endswith("." + base):  # the cheap test first
        return 0
    if is_ip(entry_host) or is_ip(page_host):
        return 0
    if registered_domain(base) is None:  # a public suffix (or bare name) serves nobody else
        return 0
    return SUBDOMAIN


def path_score(entry: Site, page: Site) -> int:
    if entry.path == page.path and (not entry.query or entry.query == page.query):
        return SAME_PATH
    if not entry.path:
        return WHOLE_SITE
    if page.path.startswith(entry.path + "/"):
        return UNDER_PATH + min(14, entry.path.count("/"))
    return OTHER_PATH


def score(entry_url: str, page_url: str) -> int:
    """How well ``entry_url`` serves ``page_url``: 0 (not at all) to 100 (the same page)."""
    entry, page = parse(entry_url), parse(page_url)
    if entry is None or page is None or not page.scheme:
        return 0
    hosts = host_score(entry.host, page.host)
    if not hosts:
        return 0
    if entry.scheme:
        if entry.scheme != page.scheme or entry.port != page.port:
            return 0
    elif page.scheme not in WEB or page.port != (entry.port or DEFAULT_PORTS[page.scheme]):
        return 0  # no scheme: http or https, on the given port or else the page scheme's default
    if hosts == SAME_HOST:
        return SAME_HOST + path_score(entry, page)  # 65-100
    return SUBDOMAIN + path_score(entry, page) // 2  # 32-50: below every same-host match


def entry_urls(entry: Entry) -> list[str]:
    """The entry's URL and its extra ones (custom fields ``KP2A_URL``/``KP2A_URL_*``, not protected)."""
    urls = [entry.url] if entry.url else []
    for field in entry.custom:
        name = field.name
        if (name == URL_FIELD or name.startswith(URL_FIELD + "_")) and isinstance(field.value, str):
            urls.append(field.value)
    return urls


def entry_score(entry: Entry, url: str, submit_url: str = "") -> int:
    best = 0
    for candidate in entry_urls(entry):
        best = max(best, score(candidate, url))
        if submit_url:
            best = max(best, score(candidate, submit_url) - FORM_PENALTY)
    return best


def candidate_hosts(urls: tuple[str, ...]) -> set[str]:
    """Every entry host that could match a page at ``urls``: each page host and its parent
    domains, with and without ``www.`` (what ``host_score`` can accept, and more)."""
    hosts: set[str] = set()
    for text in urls:
        site = parse(text) if text else None
        if site is None:
            continue
        if is_ip(site.host):
            hosts.add(site.host)
            continue
        labels = site.host.split(".")
        for i in range(len(labels)):
            parent = ".".join(labels[i:])
            hosts.update((parent, "www." + parent))
    return hosts


def matching(entries: Iterable[Entry], url: str, submit_url: str = "") -> list[tuple[int, Entry]]:
    """The entries that match the page at ``url`` (or its form's ``submit_url``), best first
    (then by title). Entries whose hosts cannot match are skipped by a set lookup first (parsed
    URLs are cached), so a 10,000-entry vault costs milliseconds."""
    candidates = candidate_hosts((url, submit_url))
    if not candidates:
        return []
    found = []
    for entry in entries:
        urls = entry_urls(entry) if entry.custom else (entry.url,)
        for text in urls:
            site = parse(text)
            if site is not None and site.host in candidates:
                value = entry_score(entry, url, submit_url)
                if value > 0:
                    found.append((value, entry))
                break
    found.sort(key=lambda pair: (-pair[0], pair[1].title.casefold()))
    return found


def warm(entries: Iterable[Entry]) -> None:
    """Load the Public Suffix List and parse every entry URL now (after an unlock, say), so the
    first page to ask does not pay for it (~100 ms for 10,000 entries)."""
    _psl()
    for entry in entries:
        for url in entry_urls(entry):
            parse(url)


def page_host(url: str) -> str:
    """The host a decision is remembered for (``login.example.com``), or "" for no URL."""
    site = parse(url)
    return site.host if site is not None else ""
