"""The connectors' HTTP session reads proxies and a CA bundle from the environment once
per address, and decides exactly as requests does (proxies, NO_PROXY, CA bundle)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from offline_sync.connectors.base import NoRedirects

ADDRESSES = (
    "https://api.notifications.service.gov.uk/v2/notifications/email",
    "https://publicapi.payments.service.gov.uk/v1/payments",
    "http://127.0.0.1:8123/v1/submissions",
    "http://localhost:8123/v1/submissions",
)


def _settings(session: requests.Session, url: str, **given: Any) -> dict[str, Any]:
    return session.merge_environment_settings(
        url, given.get("proxies", {}), given.get("stream"), given.get("verify"), None
    )


@pytest.mark.parametrize(
    "environment",
    [
        {},
        {"HTTPS_PROXY": "http://proxy.example:3128", "HTTP_PROXY": "http://proxy.example:3128"},
        {
            "HTTPS_PROXY": "http://proxy.example:3128",
            "HTTP_PROXY": "http://proxy.example:3128",
            "NO_PROXY": "127.0.0.1,localhost,.payments.service.gov.uk",
            "REQUESTS_CA_BUNDLE": "/etc/ssl/council-bundle.pem",
        },
        {"ALL_PROXY": "http://proxy.example:8080", "CURL_CA_BUNDLE": "/etc/ssl/curl.pem"},
    ],
)
def test_the_environment_is_read_as_requests_reads_it(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "REQUESTS_CA_BUNDLE",
                 "CURL_CA_BUNDLE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    ours, theirs = NoRedirects(), requests.Session()
    for url in ADDRESSES * 2:  # the second time from what was kept
        assert _settings(ours, url) == _settings(theirs, url)
        assert _settings(ours, url, verify=False) == _settings(theirs, url, verify=False)
        given = {"proxies": {"no_proxy": "gov.uk"}}
        assert _settings(ours, url, **given) == _settings(
            theirs, url, proxies={"no_proxy": "gov.uk"}
        )


def test_the_environment_is_read_once_per_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    session = NoRedirects()
    url = ADDRESSES[0]
    first = _settings(session, url)
    monkeypatch.setenv("HTTPS_PROXY", "http://other.example:3128")
    assert _settings(session, url) == first
    assert _settings(NoRedirects(), url)["proxies"]["https"] == "http://other.example:3128"
