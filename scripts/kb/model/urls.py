"""Which URLs the data may hold, and which addresses ``kb linkcheck`` may connect to.

A URL in the data is shown as a link to readers and fetched by ``kb linkcheck`` on a maintainer's
machine, so it must go where it reads as going, to a public web site:

- http or https only;
- no user name (``https://en.yna.co.kr:443@evil.example/`` reads as Yonhap and goes to evil.example);
- a host name in ASCII: a non-ASCII host is another site whatever it looks like (Cyrillic 'е' in
  ``еn.yna.co.kr`` is ``xn--n-ltb.yna.co.kr``); the message gives the punycode form;
- no IP address, in any form a browser reads as one (``127.0.0.1``, ``2130706433``, ``0x7f.1``, ``[::1]``);
- no host name that is local by definition (``localhost``, ``*.local``, ``*.internal``, ...);
- port 80, 443 or none.

``public_address`` says whether an address that a host name resolved to is one linkcheck may reach.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
PORTS = (80, 443)
# Names that lead to the local machine or network: (suffix, why). A suffix covers the name itself
# and every name under it. ('.example', '.test' and '.invalid' never resolve at all, so they are
# harmless to linkcheck, and the tests' fixtures use them.)
LOCAL_NAMES = [
    ("localhost", "the machine itself (RFC 6761)"),
    ("local", "multicast DNS on the local network (RFC 6762)"),
    ("internal", "private networks (ICANN reserved it in 2024)"),
    ("home.arpa", "home networks (RFC 8375)"),
    ("lan", "the local network, by common router convention"),
    ("intranet", "private networks, by convention"),
    ("corp", "private networks, by convention"),
    ("onion", "Tor hidden services (RFC 7686), not the web"),
]
# A label a browser reads as a number, which makes the whole host an IPv4 address (WHATWG URL
# standard, "ends in a number"): decimal, hexadecimal '0x..', or octal with a leading zero.
_NUMBER = re.compile(r"(0[xX][0-9a-fA-F]*|[0-9]+)")
_HOST_CHARS = re.compile(r"[a-z0-9.-]+")


def punycode(host: str) -> str:
    """The ASCII form a browser turns a non-ASCII host into ('xn--...' labels)."""
    labels = []
    for label in host.replace("\u3002", ".").replace("\uff0e", ".").replace("\uff61", ".").split("."):
        if label.isascii():
            labels.append(label)
            continue
        try:
            labels.append(label.encode("idna").decode("ascii"))  # nameprep (lower case, NFKC) as browsers do
        except UnicodeError:
            try:
                labels.append("xn--" + label.lower().encode("punycode").decode("ascii"))
            except UnicodeError:
                labels.append("xn--?")
    return ".".join(labels)


def host_problem(host: str) -> str | None:
    """What is wrong with a host name, or None. ``host`` is as written (lower case not assumed)."""
    if not host:
        return "has no host name"
    if not host.isascii():
        return (f"the host '{host}' is not plain ASCII: whatever it looks like, a browser goes to '{punycode(host)}', "
                "another site; type the host in plain Latin letters")
    name = host.lower().rstrip(".")
    if "%" in name:
        return f"the host '{host}' holds '%', which a browser decodes into another name; write the host as plain letters"
    if name.startswith("[") or _is_ip(name):
        return f"the host '{host}' is an IP address; link to the site's name, never to an address"
    if not _HOST_CHARS.fullmatch(name):
        return f"the host '{host}' holds characters a host name cannot have; use letters, digits, '-' and '.'"
    for suffix, why in LOCAL_NAMES:
        if name == suffix or name.endswith("." + suffix):
            return f"the host '{host}' is not on the public web ('.{suffix}' is {why}); link to a public site"
    return None


def _is_ip(name: str) -> bool:
    """True when a browser reads the host as an IP address (IPv4 in any form, IPv6)."""
    if ":" in name:
        return True
    labels = name.split(".")
    return bool(labels) and bool(_NUMBER.fullmatch(labels[-1]))


def problem(url: str) -> str | None:
    """Why the URL may not be in the data, or None when it may."""
    if not isinstance(url, str):
        return None  # the schema reports the type
    if "\\" in url:
        return "holds '\\', which a browser reads as '/' (so the host is not what it seems); write '/' or '%5C'"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        return f"cannot be read as a URL ({error})"
    if parts.scheme.lower() not in SCHEMES:
        return "must start with http:// or https://"
    if "@" in parts.netloc:
        user, _, real = parts.netloc.rpartition("@")
        return (f"has '{user}@' before the host: a browser goes to '{real}', not to what comes before '@'; "
                "remove everything between '//' and '@'")
    host = parts.netloc.rsplit(":", 1)[0] if not parts.netloc.endswith("]") else parts.netloc
    if parts.netloc.startswith("["):
        host = parts.netloc.split("]")[0] + "]"
    trouble = host_problem(host)
    if trouble:
        return trouble
    if port is not None and port not in PORTS:
        return f"uses port {port}; a public web site answers on the usual ports, so remove ':{port}'"
    return None


def public_address(address: str) -> bool:
    """Whether linkcheck may connect to an address a host name resolved to: a global unicast address,
    not loopback, private, link-local, shared (CGNAT), multicast or reserved, also when written as
    an IPv4-mapped IPv6 address."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])  # drop an IPv6 zone ('fe80::1%eth0')
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if mapped is not None and not public_address(str(mapped)):
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local or ip.is_private)
