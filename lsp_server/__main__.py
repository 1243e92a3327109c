"""The `nilmap-lsp` command (also `python -m lsp_server`): the language server over stdio or TCP.

Runs on the main thread, which becomes the server's event loop. Logs go to stderr and,
once a client is connected, to the client as `window/logMessage` (sent on the loop, since
the transport is not thread-safe).
"""
from __future__ import annotations

import argparse
import logging
import sys
import threading

from lsprotocol import types

from lsp_server import __version__
from lsp_server.encoding import CHOICES

_LEVELS = {
    logging.ERROR: types.MessageType.Error,
    logging.WARNING: types.MessageType.Warning,
    logging.INFO: types.MessageType.Info,
}


class ClientLogHandler(logging.Handler):
    """Forwards nilmap's log records to the client as `window/logMessage`."""

    def __init__(self, server: object) -> None:
        super().__init__()
        self.server = server

    def emit(self, record: logging.LogRecord) -> None:
        loop = getattr(self.server, "loop", None)
        if loop is None or loop.is_closed():
            return  # not initialized yet: stderr has it
        try:
            params = types.LogMessageParams(
                type=_LEVELS.get(record.levelno, types.MessageType.Log), message=self.format(record)
            )
            if threading.current_thread() is threading.main_thread():
                self.server.window_log_message(params)  # type: ignore[attr-defined]
            else:
                loop.call_soon_threadsafe(self.server.window_log_message, params)  # type: ignore[attr-defined]
        except Exception:  # logging must never take the server down
            self.handleError(record)


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host or "127.0.0.1", int(port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nilmap-lsp", description="nilmap's language server (stdio by default)")
    parser.add_argument("--version", action="version", version=f"nilmap-lsp {__version__}")
    parser.add_argument("--stdio", action="store_true", help="serve over stdin/stdout (the default)")
    parser.add_argument("--tcp", metavar="HOST:PORT", type=_address, help="serve over TCP instead")
    parser.add_argument(
        "--position-encoding",
        choices=CHOICES,
        help="count columns this way whatever the client offers (utf-8 for clients that count bytes without saying so)",
    )
    parser.add_argument(
        "--log-level", default="info", choices=["debug", "info", "warning", "error"], help="log level (default: info)"
    )
    args = parser.parse_args(argv)

    level = getattr(logging, args.log_level.upper())
    logging.basicConfig(stream=sys.stderr, level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Editors log a server's stderr as errors (Neovim's LSP log marks every line ERROR), so
    # info goes to the client's log only (window/logMessage, below); stderr keeps warnings
    # and errors, and everything when debugging.
    for stderr_handler in logging.getLogger().handlers:
        stderr_handler.setLevel(level if level <= logging.DEBUG else max(level, logging.WARNING))
    # pygls logs every message it sends at INFO; keep it to warnings unless debugging.
    logging.getLogger("pygls").setLevel(logging.DEBUG if level == logging.DEBUG else logging.WARNING)

    from lsp_server.server import server

    server.forced_encoding = args.position_encoding

    handler = ClientLogHandler(server)
    handler.setLevel(max(level, logging.INFO))
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("nilmap").addHandler(handler)

    if args.tcp:
        server.start_tcp(*args.tcp)
    else:
        server.start_io()
    return 0


if __name__ == "__main__":
    sys.exit(main())
