"""RPC endpoint URLs that never show their secrets (API keys, passwords) when printed or logged."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SECRET_QUERY_KEYS = frozenset({"api-key", "api_key", "apikey", "key", "token", "access_token", "secret"})
_MASK = "***"
# Path segments that look like an API key (long opaque tokens, e.g. QuickNode / Alchemy style URLs).
_SECRET_PATH_SEGMENT = re.compile(r"^[A-Za-z0-9_-]{24,}$")


def mask_url(url: str) -> str:
    """`url` with API keys, passwords and key-like path segments replaced by `***`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return _MASK
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:{_MASK}@{host}" if ":" in userinfo else f"{_MASK}@{host}"
    query = urlencode(
        [
            (key, _MASK if key.lower() in _SECRET_QUERY_KEYS else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe="*",
    )
    path = "/".join(
        _MASK if _SECRET_PATH_SEGMENT.match(segment) else segment for segment in parts.path.split("/")
    )
    return urlunsplit((parts.scheme, netloc, path, query, parts.fragment))


@dataclass(frozen=True)
class RpcEndpoint:
    """One JSON-RPC URL. `str()`/`repr()` show it masked; `.url` is the real one for the HTTP client."""

    url: str = field(repr=False)

    def __post_init__(self) -> None:
        scheme = urlsplit(self.url).scheme
        if scheme not in ("http", "https"):
            raise ValueError(f"RPC URL must be http(s): {mask_url(self.url)}")

    @property
    def masked(self) -> str:
        return mask_url(self.url)

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"RpcEndpoint({self.masked!r})"
