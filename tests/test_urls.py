"""The URL rules (kb.model.urls): where a URL in the data may point."""

from __future__ import annotations

import pytest

from kb.model import urls


@pytest.mark.parametrize("url", [
    "https://en.yna.co.kr/view/AEN20250611000100315", "http://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=1",
    "https://www.trtworld.com:443/", "http://www.example.com:80/a", "HTTPS://WWW.KBS.CO.KR/", "https://a.b.c1/x%20y",
])
def test_ordinary_urls_pass(url):
    assert urls.problem(url) is None


@pytest.mark.parametrize("url, words", [
    ("ftp://a.example.com/", "must start with http"),
    ("https://\u0435n.yna.co.kr/", "xn--n-itb.yna.co.kr"),
    ("https://en.yna.co.kr:443@evil.example/", "a browser goes to 'evil.example'"),
    ("https://user:pw@a.example.com/", "before the host"),
    ("http://127.0.0.1/", "is an IP address"), ("http://2130706433/", "is an IP address"), ("http://0x7f.1/", "is an IP address"),
    ("http://0177.0.0.1/", "is an IP address"), ("http://127.1/", "is an IP address"), ("http://[::1]/", "is an IP address"),
    ("http://[::ffff:127.0.0.1]:80/", "is an IP address"), ("http://10.0.0.1./", "is an IP address"),
    ("http://localhost/", "not on the public web"), ("http://LOCALHOST./", "not on the public web"),
    ("http://a.localhost/", "not on the public web"), ("http://printer.local/", "not on the public web"),
    ("http://metadata.google.internal/", "not on the public web"), ("http://nas.home.arpa/", "not on the public web"),
    ("https://a.example.com:8443/", "uses port 8443"), ("https://a.example.com:0/", "uses port 0"),
    ("https://a.example.com:99999/", "cannot be read"), ("https://evil.example\\@a.example.com/", "reads as '/'"),
    ("http://%6c%6fcalhost/", "holds '%'"), ("https:///path", "has no host"), ("https://a_b.example.com/", "cannot have"),
    ("https://a\uff0eexample.com/", "not plain ASCII"),
])
def test_refused_urls_say_why(url, words):
    assert words in urls.problem(url)


def test_punycode_shows_the_real_host():
    assert urls.punycode("\u0435n.yna.co.kr") == "xn--n-itb.yna.co.kr"
    assert urls.punycode("한국.kr").startswith("xn--")


@pytest.mark.parametrize("address, public", [
    ("93.184.216.34", True), ("2606:4700::1", True), ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False),
    ("192.168.1.1", False), ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("240.0.0.1", False), ("::1", False), ("fe80::1%eth0", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
    ("2002:7f00:1::", False), ("not an address", False),
])
def test_public_address(address, public):
    assert urls.public_address(address) is public
