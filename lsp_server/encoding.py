"""Which position encoding the server speaks: the client's offer, or one the user forces.

The server takes UTF-8 whenever the client offers it (byte offsets are what the analysis
has), else what pygls negotiates (UTF-16 by default, as the protocol says). Some clients
count columns in bytes without saying so (Vim's ALE): for them the user forces the
encoding with `nilmap-lsp --position-encoding utf-8` or the initialization option
`{"positionEncoding": "utf-8"}` (the option wins). Runs on the event loop, once, while
`initialize` is answered.
"""
from __future__ import annotations

from typing import Any

from lsprotocol import types

OPTION = "positionEncoding"
CHOICES = ("utf-8", "utf-16", "utf-32")


def forced_by(options: Any) -> str | None:
    """The encoding the initialization options force (also under a `nilmap` section), if any."""
    if isinstance(options, dict):
        section = options.get("nilmap")
        value = section.get(OPTION) if isinstance(section, dict) and OPTION in section else options.get(OPTION)
        if isinstance(value, str) and value.lower() in CHOICES:
            return value.lower()
    return None


def offer(params: types.InitializeParams, forced: str | None) -> None:
    """Rewrite the client's offered encodings so that pygls settles on the one to speak."""
    chosen = forced_by(params.initialization_options) or forced
    capabilities = params.capabilities
    if chosen is not None:
        if capabilities.general is None:
            capabilities.general = types.GeneralClientCapabilities()
        capabilities.general.position_encodings = [chosen]
        return
    general = capabilities.general
    if general is not None and general.position_encodings and types.PositionEncodingKind.Utf8 in general.position_encodings:
        general.position_encodings = [types.PositionEncodingKind.Utf8]
