"""The JSON-RPC side of the server: pygls' protocol, with errors answered as the spec says.

- A request whose params do not have the shape its method takes is answered with
  `InvalidParams` (pygls raises while reading it, and the request goes unanswered); a
  notification with bad params is logged and dropped; a response whose result we cannot
  read fails the request that waits for it instead of leaving it waiting.
- A request for a method the server does not have is answered `MethodNotFound` with a debug
  line in the log, and an unknown notification is ignored the same way (clients send
  `$/` notifications freely): neither is the server's error.
- Document sync keeps no copy of the text in pygls' workspace; `documents.py` has ours.
- UTF-8 positions are taken whenever the client offers them.

Runs on the event loop.
"""
from __future__ import annotations

import logging
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInternalError, JsonRpcInvalidParams, JsonRpcInvalidRequest, JsonRpcMethodNotFound
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
    ResponseErrorMessage,
)

from lsp_server import encoding

log = logging.getLogger("nilmap.lsp")

CANCEL_REQUEST = "$/cancelRequest"


@dataclass(frozen=True)
class MalformedMessage:
    """A message that is JSON-RPC but whose content does not have the shape it should."""

    id: int | str | None
    method: str | None
    kind: str  # "request", "notification" or "response"
    reason: str


def _message_id(data: dict) -> int | str | None:
    value = data.get("id")
    return value if isinstance(value, (int, str)) and not isinstance(value, bool) else None


class NilmapProtocol(LanguageServerProtocol):
    """pygls' protocol with the changes above."""

    # -- reading messages -------------------------------------------------------------------
    def structure_message(self, data: dict[str, Any]) -> Any:
        """The typed message `data` is, or a `MalformedMessage` (never raises)."""
        if "jsonrpc" not in data:
            return data  # a nested object of the message: structured with it
        kind = "request" if "id" in data and "method" in data else "response" if "id" in data else "notification"
        method = data.get("method")
        try:
            if kind == "request":
                return self._converter.structure(data, self.get_message_type(method) or JsonRPCRequestMessage)
            if kind == "response":
                if "error" in data:
                    return self._converter.structure(data, ResponseErrorMessage)
                result_type = self._result_types.pop(data["id"], None) or JsonRPCResponseMessage
                return self._converter.structure(data, result_type)
            return self._converter.structure(data, self.get_message_type(method or "") or JsonRPCNotification)
        except Exception as error:  # cattrs' validation errors, or a key that is not hashable
            return MalformedMessage(_message_id(data), method if isinstance(method, str) else None, kind, _reason(error))

    def handle_message(self, message: Any) -> None:
        if isinstance(message, MalformedMessage):
            self._handle_malformed(message)
            return
        super().handle_message(message)

    def _handle_malformed(self, message: MalformedMessage) -> None:
        if message.kind == "request":
            log.warning("request %s %s has invalid params (%s); answered InvalidParams", message.id, message.method, message.reason)
            error = JsonRpcInvalidParams if message.id is not None else JsonRpcInvalidRequest
            self._send_response(message.id, None, error(f"invalid params for {message.method}: {message.reason}").to_response_error())  # type: ignore[arg-type]
        elif message.kind == "notification":
            log.warning("notification %s has invalid params (%s); ignored", message.method, message.reason)
        else:
            log.warning("response to request %s cannot be read (%s)", message.id, message.reason)
            future = self._request_futures.pop(message.id, None) if message.id is not None else None
            if future is not None and not future.done():
                future.set_exception(JsonRpcInternalError(f"unreadable response: {message.reason}"))

    # -- unknown methods ---------------------------------------------------------------------
    def _known(self, method: str) -> bool:
        return method in self.fm.builtin_features or method in self.fm.features

    def _handle_request(self, msg_id: Any, method_name: str, params: Any) -> None:
        if not self._known(method_name):
            log.debug("no method %r: answered MethodNotFound", method_name)
            self._send_response(msg_id, None, JsonRpcMethodNotFound.of(method_name).to_response_error())
            return
        super()._handle_request(msg_id, method_name, params)

    def _handle_notification(self, method_name: str, params: Any) -> None:
        if method_name != CANCEL_REQUEST and not self._known(method_name):
            log.debug("no handler for notification %r: ignored", method_name)
            return
        pending = set(self._request_futures)
        super()._handle_notification(method_name, params)
        # pygls files the future of each step of a generator handler (didOpen, didChange,
        # didClose are such) under a made-up id, and only a response would take it out:
        # for a notification it stayed forever, one per keystroke. Nothing looks them up
        # (a notification cannot be cancelled), so they go now; their callbacks still run.
        for made_up in set(self._request_futures) - pending:
            self._request_futures.pop(made_up, None)

    # -- lifecycle and document sync ---------------------------------------------------------
    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        # UTF-8 whenever the client offers it, or the encoding the user forces (encoding.py).
        encoding.offer(params, getattr(self._server, "forced_encoding", None))
        return (yield from super().lsp_initialize(params))

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> Generator:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Generator:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> Generator:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


def _reason(error: Exception) -> str:
    """One line on what was wrong: cattrs nests the field errors it found."""
    leaves = []
    stack: list[BaseException] = [error]
    while stack:
        current = stack.pop()
        nested = getattr(current, "exceptions", None)
        if nested:
            stack.extend(nested)
        else:
            note = "; ".join(getattr(current, "__notes__", []) or [])
            leaves.append(f"{note}: {current}" if note else str(current) or type(current).__name__)
    return leaves[0] if leaves else type(error).__name__
