"""The framing of the client's byte stream, in process: messages split anywhere between
reads, headers in any case or order, and bad frames that cost only themselves."""
from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from lsp_server.transport import Framer, request_id

BODIES = [json.dumps({"jsonrpc": "2.0", "id": n, "method": "m", "params": {"text": "é\r\n" * n}}).encode() for n in range(6)]


def frame(body: bytes, length: int | None = None, header: bytes = b"Content-Length") -> bytes:
    return header + b": %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" % (
        len(body) if length is None else length
    ) + body


def read_all(chunks: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    framer = Framer()
    bodies: list[bytes] = []
    for chunk in chunks:
        framer.feed(chunk)
        bodies.extend(framer.bodies())
    return bodies, framer.discarded


@given(st.lists(st.integers(min_value=1, max_value=400), max_size=40))
def test_messages_split_anywhere_between_reads(cuts: list[int]) -> None:
    stream = b"".join(frame(b, header=h) for b, h in zip(BODIES, [b"Content-Length", b"content-length", b"CONTENT-LENGTH"] * 2))
    chunks, at = [], 0
    for cut in cuts:
        chunks.append(stream[at : at + cut])
        at += cut
    chunks.append(stream[at:])
    bodies, discarded = read_all(chunks)
    assert bodies == BODIES and discarded == []


def test_a_bad_frame_costs_only_itself() -> None:
    good, other = BODIES[1], BODIES[2]
    cases = {
        "too short": frame(good, len(good) - 5) + frame(other),
        "too long": frame(good, len(good) + 999) + frame(other),
        "no header": good + frame(other),
        "a header that is no number": b"Content-Length: many\r\n\r\n" + good + frame(other),
        "headers that never end": b"Content-Length: 12\r\n" + b"X: y\r\n" * 2000 + frame(other),
    }
    for name, stream in cases.items():
        for chunks in ([stream], [stream[:7], stream[7:-3], stream[-3:]]):
            bodies, _ = read_all(chunks)
            assert bodies[-1] == other, name
            assert len(bodies) <= 2, name
    bodies, _ = read_all([cases["too long"]])
    assert bodies == [good, other]  # its own body was whole: only its length was wrong


def test_the_id_of_a_damaged_request() -> None:
    assert request_id(b'{"jsonrpc": "2.0", "id": 42, "method": "textDocument/hov') == 42
    assert request_id(b'{"id" : "a\\"b", "params": {') == 'a"b'
    assert request_id(b'{"jsonrpc": "2.0", "method": "x", "params": {"i') is None
