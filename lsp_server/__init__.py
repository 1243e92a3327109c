"""nilmap's language server: a pygls front end over the `analyzers` core.

`server.py` holds the one server instance and its handlers, `documents.py` the open
documents, `packages.py` the Go packages they belong to, `analysis.py` the runs of the
checker off the event loop, `convert.py` the model-to-LSP conversion, `settings.py`
the client's settings, `project.py` the project's `nilmap.toml` under them and
`encoding.py` the position encoding spoken.
`__main__.py` is the `nilmap-lsp` command.
"""
from __future__ import annotations

from analyzers import __version__

__all__ = ["__version__"]
