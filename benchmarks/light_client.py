"""A light HTTP/1.1 client for load benchmarks: asyncio streams, one keep-alive connection each.

The load client shares the machine's cores with the server it measures, so it must cost little:
``httpx.AsyncClient`` took about 4-6 ms of CPU a request on ``POST /api/plan`` (as much as the
server's own overhead), this about a tenth of that. It sends what a browser's ``fetch`` sends
(JSON body, ``Accept-Encoding: gzip``), reads the answer whole (``Content-Length`` or chunked)
and leaves it compressed; :meth:`LightConnection.json` decodes one when the caller needs it.
Loopback only, no TLS, no redirects: a benchmark tool, not a general client.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
from typing import Any
from urllib.parse import urlencode

__all__ = ["Answer", "LightConnection"]


class Answer:
    """A response: status, lower-cased headers and the body as sent (maybe gzip)."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        """The body decoded from JSON (gunzipped first if it was sent compressed)."""
        raw = self.body
        if self.headers.get("content-encoding") == "gzip":
            raw = gzip.decompress(raw)
        return json.loads(raw)


class LightConnection:
    """One keep-alive connection to ``host:port``, opened on first use and after a close."""

    def __init__(self, host: str, port: int, timeout: float = 180.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def post_json(self, path: str, body: Any, params: dict[str, str] | None = None) -> Answer:
        """POST ``body`` as JSON to ``path`` (with ``params`` as the query string)."""
        target = f"{path}?{urlencode(params)}" if params else path
        payload = json.dumps(body, separators=(",", ":")).encode()
        head = (
            f"POST {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Content-Type: application/json\r\nAccept: application/json\r\n"
            f"Accept-Encoding: gzip\r\nContent-Length: {len(payload)}\r\n\r\n"
        ).encode()
        try:
            return await asyncio.wait_for(self._exchange(head + payload), self.timeout)
        except BaseException:
            await self.close()  # a half-read answer leaves the connection unusable
            raise

    async def _exchange(self, request: bytes) -> Answer:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        self._writer.write(request)
        await self._writer.drain()
        lines = (await self._reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self._reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:
            body = await self._reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Answer(status, headers, body)

    async def _chunked(self) -> bytes:
        assert self._reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self._reader.readuntil(b"\r\n")  # no trailers expected
                return b"".join(parts)
            parts.append(await self._reader.readexactly(size))
            await self._reader.readexactly(2)

    async def close(self) -> None:
        """Close the connection (the next request opens a new one)."""
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
