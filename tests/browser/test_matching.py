"""URL matching for the browser: hosts, subdomains under the registered domain, ports, paths,
extra URLs, and the best-first order."""

from __future__ import annotations

import pytest

from vaultapp.browser import matching
from vaultapp.core import Vault

PAGE = "https://github.com/login"
FORM = "https://github.com/session"


@pytest.mark.parametrize(
    ("entry_url", "page_url"),
    [
        ("https://github.com/login", PAGE),
        ("github.com/login", PAGE),  # no scheme: http or https
        ("https://github.com/", PAGE),
        ("https://github.com", "https://github.com/"),
        ("https://example.com", "https://login.example.com/"),  # a subdomain of the entry's host
        ("https://www.example.com", "https://accounts.example.com/x"),  # www. stands for the domain
        ("https://example.co.uk", "https://a.b.example.co.uk/"),
        ("http://127.0.0.1:443", "http://127.0.0.1:443/"),
        ("https://example.com:443", "https://example.com/"),  # the default port written out
        ("http://localhost:8080/app", "http://localhost:8080/app/login"),
        ("https://[::1]:8443/", "https://[::1]:8443/x"),
    ],
)
def test_matches(entry_url: str, page_url: str) -> None:
    assert matching.score(entry_url, page_url) > 0


@pytest.mark.parametrize(
    ("entry_url", "page_url"),
    [
        ("http://github.com", PAGE),  # scheme differs
        ("https://github.com", "http://github.com/"),
        ("https://login.example.com", "https://example.com/"),  # the page is above the entry's host
        ("https://login.example.com", "https://other.example.com/"),  # a sibling subdomain
        ("https://example.com", "https://example.com.evil.net/"),
        ("https://example.com", "https://notexample.com/"),
        ("https://co.uk", "https://example.co.uk/"),  # a public suffix serves nobody
        ("https://github.io", "https://someone.github.io/"),
        ("https://alice.github.io", "https://bob.github.io/"),  # github.io sites are separate owners
        ("http://127.0.0.1:80", "http://127.0.0.1:443"),  # ports differ
        ("example.com", "https://example.com:8443/"),  # no port is the default port only
        ("https://example.com:8443", "https://example.com/"),
        ("http://10.0.0.1", "http://10.0.0.10/"),
        ("http://0.1", "http://10.0.1/"),
        ("", PAGE),
        ("not a url", PAGE),
        ("https://github.com", "github.com"),  # a page always has a scheme
    ],
)
def test_does_not_match(entry_url: str, page_url: str) -> None:
    assert matching.score(entry_url, page_url) == 0


def test_order_same_path_before_parent_path_before_site_before_other_path_before_subdomain() -> None:
    ranked = [
        "https://github.com/login",
        "https://github.com/login?x=1",  # the query differs: a path under the same host
        "https://github.com/",
        "https://github.com/keepassxreboot",
    ]
    scores = [matching.score(u, "https://github.com/login") for u in ranked]
    assert scores[0] == 100
    assert scores[0] > scores[2] > scores[3] > 0
    assert matching.score("https://github.com/a", "https://github.com/a/b/c") > matching.score(
        "https://github.com/", "https://github.com/a/b/c"
    )
    assert matching.score("https://github.com/a/b", "https://github.com/a/b/c") > matching.score(
        "https://github.com/a", "https://github.com/a/b/c"
    )
    assert matching.score("https://github.com/", "https://sub.github.com/") < matching.score(
        "https://sub.github.com/other", "https://sub.github.com/"
    )


def test_registered_domain() -> None:
    assert matching.registered_domain("a.b.example.co.uk") == "example.co.uk"
    assert matching.registered_domain("so.many.subdomains.co.jp") == "subdomains.co.jp"
    assert matching.registered_domain("co.uk") is None
    assert matching.registered_domain("192.168.0.1") == "192.168.0.1"


def test_matching_entries_extra_urls_submit_url_and_order(new_vault: Vault) -> None:
    site = new_vault.add("Site", url="https://example.com/")
    login = new_vault.add("Login page", url="https://example.com/login")
    extra = new_vault.add(
        "Extra", url="https://other.org", custom=[("KP2A_URL", "https://example.com/login", False)]
    )
    extra2 = new_vault.add("Extra 2", custom=[("KP2A_URL_1", "https://sso.example.com", False)])
    new_vault.add("Unrelated", url="https://example.net/login")
    new_vault.add("Protected URL field is not read", custom=[("KP2A_URL", "https://example.com", True)])
    found = matching.matching(new_vault.entries, "https://example.com/login")
    assert [e.title for _, e in found] == ["Extra", "Login page", "Site"]
    # the form posts to sso.example.com: that entry comes in, below the page's own matches
    found = matching.matching(new_vault.entries, "https://example.com/login", "https://sso.example.com/post")
    assert [e.uuid for _, e in found] == [extra.uuid, login.uuid, site.uuid, extra2.uuid]
    assert matching.matching(new_vault.entries, "") == []
