"""The reader's address behind the newsroom's reverse proxies (rate limits and repeats key on it)."""

import pytest
from django.test import RequestFactory, override_settings

from townsquare.lib.http import client_ip


def address(hops: int, forwarded: str | None, remote: str = "10.0.0.1") -> str:
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    with override_settings(TOWNSQUARE_PROXY_HOPS=hops):
        return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_without_proxies_the_header_anyone_can_send_is_ignored() -> None:
    assert address(0, "198.51.100.7") == "10.0.0.1"


@pytest.mark.parametrize(
    ("hops", "forwarded", "reader"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        # A reader's own "X-Forwarded-For: 1.2.3.4" comes first; the proxy appends what it saw.
        (1, "1.2.3.4, 203.0.113.5", "203.0.113.5"),
        # A CDN, then nginx: the CDN's entry is the reader, nginx's is the CDN.
        (2, "1.2.3.4, 203.0.113.5, 192.0.2.9", "203.0.113.5"),
    ],
)
def test_behind_proxies_the_entry_the_outermost_one_added_is_the_reader(
    hops: int, forwarded: str, reader: str
) -> None:
    assert address(hops, forwarded) == reader


def test_a_request_that_bypassed_the_proxies_falls_back_to_its_own_address() -> None:
    assert address(2, "203.0.113.5") == "10.0.0.1"
    assert address(1, None) == "10.0.0.1"
    assert address(1, "") == "10.0.0.1"
