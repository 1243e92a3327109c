"""nilmap's language server: a pygls front end over the `analyzers` core.

`server.py` holds the one server instance, its state and the registration of its
features; the requests are in `features/`. On the event loop: `documents.py` (the open
documents' text), `scheduler.py` (when checks run, which findings are current),
`workspace.py` (the folders' packages on disk), `protocol.py` and `transport.py` (JSON-RPC
that survives a bad message), `convert.py` (model to LSP), `settings.py` and `project.py`
(the client's settings over the project's `nilmap.toml`), `encoding.py` (the position
encoding spoken). In the analysis thread: `analysis.py` (checker runs and caches),
`trees.py` (parsing) and `packages.py` (package indexes). `__main__.py` is the `nilmap-lsp`
command.
"""
from __future__ import annotations

from analyzers import __version__

__all__ = ["__version__"]
