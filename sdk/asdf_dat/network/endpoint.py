"""RPC endpoint URLs that never show their secrets (API keys, passwords) when printed or logged."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping
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


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]+")


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every URL masked (`mask_url`) and each known secret replaced by `***`:
    for exception messages and log lines that may quote a request URL or echo a key."""
    out = _URL.sub(lambda match: mask_url(match.group(0)), text)
    for secret in secrets:
        if secret:
            out = out.replace(secret, _MASK)
    return out


def url_secrets(url: str) -> tuple[str, ...]:
    """The parts of `url` that `mask_url` hides (key values, password, key-like path segments)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return (url,)
    found = [
        value for key, value in parse_qsl(parts.query, keep_blank_values=True) if key.lower() in _SECRET_QUERY_KEYS
    ]
    if "@" in parts.netloc:
        userinfo = parts.netloc.rsplit("@", 1)[0]
        found.append(userinfo.split(":", 1)[1] if ":" in userinfo else userinfo)
    found += [segment for segment in parts.path.split("/") if _SECRET_PATH_SEGMENT.match(segment)]
    return tuple(secret for secret in found if len(secret) >= 4)


SECRET_ENV_URLS = ("RPC_URL", "RPC_FALLBACK_URL")
SECRET_ENV_KEYS = ("HELIUS_API_KEY",)


def environment_secrets(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Secrets the RPC environment variables carry (to redact from error output)."""
    env = os.environ if environ is None else environ
    found = [secret for name in SECRET_ENV_URLS for secret in url_secrets(env.get(name, ""))]
    found += [env[name] for name in SECRET_ENV_KEYS if env.get(name)]
    return tuple(found)


class RedactingLogFilter(logging.Filter):
    """Masks URLs (and known secrets) in log records, e.g. httpx's "HTTP Request: POST <url>"."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets: set[str] = set(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message, self.secrets)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def install_log_redaction(secrets: Iterable[str], logger_names: Iterable[str] = ("httpx", "httpcore")) -> None:
    """Adds `secrets` to the redacting filter of the HTTP client loggers (one filter per logger)."""
    wanted = tuple(secrets)
    for name in logger_names:
        target = logging.getLogger(name)
        existing = next((f for f in target.filters if isinstance(f, RedactingLogFilter)), None)
        if existing is None:
            target.addFilter(RedactingLogFilter(wanted))
        else:
            existing.secrets.update(wanted)


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

    @property
    def secrets(self) -> tuple[str, ...]:
        return url_secrets(self.url)

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"RpcEndpoint({self.masked!r})"
