"""Reading JSON-RPC messages off the client's byte stream, one garbled message at a time.

pygls' reader trusts every header: after a message framed wrongly (a bad or missing
`Content-Length`, a length too short or too long) it reads the next message's header as a
body, and the request after the bad one goes unanswered. This reader finds each message by
its `Content-Length` header wherever it starts, and reads the body it announces; a header
met inside a body means the announced length was too long, and the next message starts
there. A header can never be part of a valid body: JSON escapes line breaks in strings.

A request that cannot be read is answered with a parse error when its id can be read from
it, so the client stops waiting; anything else unreadable is logged and dropped. A body
that is not valid UTF-8 is decoded with replacement characters, one per bad byte, and
logged: the server's text then keeps the editor's length, where dropping the message would
leave the document out of step for good.

The reading runs in its own thread (a blocking read of stdin); framing and dispatch run on
the event loop.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any

from pygls.exceptions import JsonRpcException, JsonRpcInternalError, JsonRpcInvalidRequest, JsonRpcParseError
from pygls.io_ import StdoutWriter

from lsp_server.protocol import MalformedMessage

if TYPE_CHECKING:
    from pygls.server import JsonRPCServer

log = logging.getLogger("nilmap.lsp")

_HEADER = re.compile(rb"content-length[ \t]*:[ \t]*(\d{1,12})[ \t]*\r?\n", re.IGNORECASE)
_MAX_HEADERS = 8 * 1024  # bytes of headers after Content-Length before giving up on them
_LONGEST_HEADER = 64  # a Content-Length line being received fits in this many bytes
_ID = re.compile(rb'"id"\s*:\s*(-?\d{1,15}|"(?:[^"\\\r\n]|\\.){0,200}")')
_CHUNK = 1 << 16


class Framer:
    """Splits a byte stream into message bodies."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._scanned = 0  # how far the current body was searched for a header
        self._noise = bytearray()  # bytes skipped since the last message
        self.discarded: list[bytes] = []  # runs of bytes between messages that were no message

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def bodies(self) -> Iterator[bytes]:
        """The complete bodies in what was fed so far; the rest waits for more data."""
        buffer = self._buffer
        while True:
            header = _HEADER.match(buffer) or _HEADER.search(buffer)
            if header is None:
                # Keep what may be the start of a header still arriving; the rest is noise.
                line = buffer.rfind(b"\n") + 1
                keep = max(line, len(buffer) - _LONGEST_HEADER)
                self._skip(keep)
                return
            if header.start():
                self._skip(header.start())
                continue
            if self._noise.strip():
                self.discarded.append(bytes(self._noise))
            self._noise.clear()
            body_start = _body_start(buffer, header.end())
            if body_start is None:
                if len(buffer) - header.end() > _MAX_HEADERS:  # headers without an end: not a header
                    self._skip(header.end())
                    continue
                return
            if body_start < 0:  # another Content-Length before the headers ended: that one counts
                self._skip(-body_start)
                continue
            end = body_start + int(header.group(1))
            # A header inside the announced body: the length was too long, and the next
            # message starts there (a valid body never holds one: JSON escapes line breaks).
            search_from = max(body_start, self._scanned - _LONGEST_HEADER)
            next_header = _HEADER.search(buffer, search_from, min(end, len(buffer)))
            if next_header is not None:
                end = next_header.start()
            elif len(buffer) < end:
                self._scanned = len(buffer)
                return
            body = bytes(buffer[body_start:end])
            del buffer[:end]
            self._scanned = 0
            yield body

    def _skip(self, count: int) -> None:
        self._noise += self._buffer[:count]
        del self._buffer[:count]
        self._scanned = 0


def _body_start(buffer: bytearray, position: int) -> int | None:
    """Where the body begins: after the header lines that follow Content-Length and the
    empty line ending them; None while they are incomplete, and minus the offset of another
    Content-Length line met first."""
    while True:
        line_end = buffer.find(b"\n", position)
        if line_end == -1:
            return None
        line = buffer[position:line_end]
        if line.strip() == b"":
            return line_end + 1
        if _HEADER.match(buffer, position):
            return -position
        position = line_end + 1


def request_id(data: bytes) -> int | str | None:
    """The id a damaged message seems to carry, to answer its sender."""
    match = _ID.search(data)
    if match is None:
        return None
    raw = match.group(1)
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, (int, str)) else None


def decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        log.warning("a message is not valid UTF-8 (byte %d); each bad byte is read as U+FFFD", error.start)
        return body.decode("utf-8", errors="replace")


class Dispatcher:
    """Hands message bodies to the protocol, answering what cannot be read."""

    def __init__(self, server: JsonRPCServer) -> None:
        self.server = server
        self.protocol = server.protocol

    def dispatch(self, body: bytes) -> None:
        text = decode(body)
        try:
            message = json.loads(text, object_hook=self.protocol.structure_message)
        except (ValueError, RecursionError) as error:
            self.unreadable(body, f"not JSON: {error}" if isinstance(error, ValueError) else "nested too deeply")
            return
        if not isinstance(message, MalformedMessage) and not hasattr(message, "jsonrpc"):
            self.unreadable(body, "not a JSON-RPC message", JsonRpcInvalidRequest)
            return
        try:
            self.protocol.handle_message(message)
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as error:
            log.exception("handling a message failed")
            self.server.report_server_error(error, JsonRpcInternalError)  # as pygls reports a failed handler

    def unreadable(self, data: bytes, reason: str, error: type[JsonRpcException] = JsonRpcParseError) -> None:
        """Answer a message that cannot be read (JSON-RPC 2.0, section 5.1) when it shows
        the id of a request: its sender stops waiting. Without an id there is no one to
        answer: the specification's `"id": null` error is logged by VS Code and shown as
        an error by Neovim, for a message that was most likely a notification."""
        identifier = request_id(data)
        if identifier is None:
            log.warning("unreadable message (%s); ignored", reason)
            return
        log.warning("unreadable message (%s); answered with an error for request %s", reason, identifier)
        self.protocol._send_response(identifier, None, error(f"unreadable message: {reason}").to_response_error())

    def discarded(self, framer: Framer) -> None:
        for data in framer.discarded:
            if b"{" in data:
                self.unreadable(data, "no Content-Length header before it")
            else:
                log.warning("skipped %d bytes that were not a message", len(data))
        framer.discarded.clear()


async def _serve(server: JsonRPCServer, read: Callable[[], Awaitable[bytes]]) -> None:
    framer = Framer()
    dispatcher = Dispatcher(server)
    stop = server._stop_event
    while stop is None or not stop.is_set():
        data = await read()
        if not data:
            break
        framer.feed(data)
        for body in framer.bodies():
            dispatcher.discarded(framer)
            dispatcher.dispatch(body)
        dispatcher.discarded(framer)


def _reader(stream: Any) -> Callable[[int], bytes]:
    """A read of what is available: `os.read` on the descriptor when there is one, so the
    reading thread never holds the stream's lock (Python takes it at exit)."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return stream.read1 if hasattr(stream, "read1") else stream.read
    return lambda size: os.read(descriptor, size)


def serve_stream(server: JsonRPCServer, stdin: Any, stdout: Any) -> None:
    """Serve one client over a pair of byte streams (stdio) until it exits or hangs up."""
    server._stop_event = threading.Event()
    server.protocol.set_writer(StdoutWriter(stdout))
    read_some = _reader(stdin)

    async def main() -> None:
        # A daemon thread reads: a read blocked on stdin must not hold up the process's exit.
        loop = asyncio.get_running_loop()
        chunks: asyncio.Queue[bytes] = asyncio.Queue()

        def pump() -> None:
            while True:
                try:
                    data = read_some(_CHUNK)
                except (OSError, ValueError):
                    data = b""
                loop.call_soon_threadsafe(chunks.put_nowait, data)
                if not data:
                    return

        threading.Thread(target=pump, name="nilmap-stdin", daemon=True).start()
        await _serve(server, chunks.get)

    try:
        asyncio.run(main())
    except BrokenPipeError:
        log.error("the connection to the client is lost; shutting down")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()


def serve_tcp(server: JsonRPCServer, host: str, port: int) -> None:
    """Serve clients over TCP, one connection at a time (for debugging)."""
    server._stop_event = threading.Event()

    async def connection(stream: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server.protocol.set_writer(writer)
        await _serve(server, lambda: stream.read(_CHUNK))
        server.shutdown()

    async def listen() -> None:
        listener = await asyncio.start_server(connection, host, port)
        log.info("serving on %s", ", ".join(str(s.getsockname()) for s in listener.sockets))
        async with listener:
            await listener.serve_forever()

    try:
        asyncio.run(listen())
    except (asyncio.CancelledError, KeyboardInterrupt):
        pass
