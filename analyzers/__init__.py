"""nilmap's analysis core: Go source bytes in, findings and fixes out.

Nothing here imports the language server; `lsp_server` is a front end over this package.
"""
from __future__ import annotations

__version__ = "0.1.0"
