"""gzip of responses: Starlette's middleware, deflating with zlib-ng where it is installed.

zlib-ng is a faster deflate with zlib's levels and the same gzip format (any gzip reader
decompresses it to the same bytes). On a plan's JSON (190 KiB, thinned curve) at level 5 it took
1.03 ms for 21.6 KiB where zlib took 1.46 ms for 22.3 KiB; a server's CPU per ``POST /api/plan``
outside the plan went from 21.4 to 15.7 million instructions (callgrind). Without it, zlib.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder, IdentityResponder
from starlette.types import ASGIApp, Receive, Scope, Send

_compressobj: Callable[[int, int, int], Any]
try:
    from zlib_ng.zlib_ng import compressobj as _compressobj
except ImportError:  # pragma: no cover - zlib-ng is a dependency; zlib is the fallback
    _compressobj = zlib.compressobj

__all__ = ["GZIP_LEVEL", "MINIMUM_SIZE", "FastGZipMiddleware", "gzip_answer"]

#: gzip level of responses (the issue's "about 5"). On a plan's JSON (188 KiB, thin curve)
#: zlib's level 5 took 1.8 ms for 21.9 KiB, level 1 0.8 ms for 26.9 KiB, level 9 over 4 ms for
#: a few percent less (docs/performance.md); zlib-ng's level 5 is faster again (see above).
GZIP_LEVEL = 5
#: Bodies smaller than this are sent as they are (the middleware's ``minimum_size``).
MINIMUM_SIZE = 1000
#: gzip framing of a deflate stream (window bits 16 + 15).
_GZIP_WBITS = 16 + zlib.MAX_WBITS


def _accepts_gzip(accept_encoding: str) -> bool:
    """The middleware's test of a request's ``Accept-Encoding`` (the same for both paths)."""
    return "gzip" in accept_encoding


def gzip_answer(body: bytes, accept_encoding: str) -> tuple[bytes, dict[str, str]]:
    """``body`` gzipped as :class:`FastGZipMiddleware` would send it, with the headers that
    say so (none: send it as it is, and the middleware treats it as it would any answer).

    For an answer built in a worker thread (a plan's JSON): compressed there, it skips the
    middleware's own thread hand-off for bodies of 128 KiB or more. The middleware leaves a
    response that already has a ``Content-Encoding`` alone.
    """
    if len(body) < MINIMUM_SIZE or not _accepts_gzip(accept_encoding):
        return body, {}
    deflater = _compressobj(GZIP_LEVEL, zlib.DEFLATED, _GZIP_WBITS)
    packed: bytes = deflater.compress(body) + deflater.flush()
    return packed, {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}


class _FastGZipResponder(GZipResponder):
    """Starlette's responder with its compressor from zlib-ng (made on first use)."""

    _deflater: Any = None

    @property
    def compressor(self) -> Any:
        if self._deflater is None:
            self._deflater = _compressobj(self.compresslevel, zlib.DEFLATED, _GZIP_WBITS)
        return self._deflater


class FastGZipMiddleware(GZipMiddleware):
    """:class:`GZipMiddleware` (same options, same rules) with zlib-ng's deflate."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # pragma: no cover - the app serves no websockets
            await self.app(scope, receive, send)
            return
        responder: ASGIApp
        if _accepts_gzip(Headers(scope=scope).get("Accept-Encoding", "")):
            responder = _FastGZipResponder(
                self.app,
                self.minimum_size,
                compresslevel=self.compresslevel,
                thread_minimum_size=self.thread_minimum_size,
                exclude_content_types=self.exclude_content_types,
            )
        else:
            responder = IdentityResponder(
                self.app, self.minimum_size, exclude_content_types=self.exclude_content_types
            )
        await responder(scope, receive, send)
