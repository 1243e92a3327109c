"""Fixtures for the end-to-end tests: the real `python -m lsp_server` process over stdio,
driven by pytest-lsp's client with VS Code's and Neovim's capabilities."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from support import CLIENTS, SERVER_COMMAND, Session, make_client

HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "workspace(files): files ({relative path: text}) written into the workspace before the server starts"
    )


def write_workspace(request: pytest.FixtureRequest, root: Path) -> None:
    """The test's `workspace` marker files, there before `initialize` as in a cloned project."""
    marker = request.node.get_closest_marker("workspace")
    for relative, text in (marker.args[0] if marker else {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


async def start_session(
    lsp_client: LanguageClient, name: str, root: Path, initialization_options: Any = None
) -> Session:
    (root / "go.mod").write_text("module example.com/nilmaptest\n\ngo 1.19\n")
    capabilities = client_capabilities(name)
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="root")],
            initialization_options=initialization_options,
        )
    )
    encoding = str(getattr(result.capabilities.position_encoding, "value", result.capabilities.position_encoding) or "utf-16")
    pull = capabilities.text_document is not None and capabilities.text_document.diagnostic is not None
    return Session(lsp_client, name, root, encoding, pull)


# pytest-lsp's fixtures yield the client itself; the negotiated session rides on it.
@pytest_lsp.fixture(params=CLIENTS, config=ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client))
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient, tmp_path: Path):
    write_workspace(request, tmp_path)
    lsp_client.session = await start_session(lsp_client, request.param, tmp_path)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(
    params=CLIENTS,
    config=ClientServerConfig(
        server_command=[sys.executable, str(HERE / "extra_rules_server.py"), "--failing"], client_factory=make_client
    ),
)
async def faulty_client(request: pytest.FixtureRequest, lsp_client: LanguageClient, tmp_path: Path):
    """A server with one extra rule that always raises."""
    lsp_client.session = await start_session(lsp_client, request.param, tmp_path)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(
    params=CLIENTS,
    config=ClientServerConfig(
        server_command=[sys.executable, str(HERE / "extra_rules_server.py"), "--fixable"], client_factory=make_client
    ),
)
async def fixable_client(request: pytest.FixtureRequest, lsp_client: LanguageClient, tmp_path: Path):
    """A server with one extra rule whose findings have a safe and an unsafe fix."""
    lsp_client.session = await start_session(lsp_client, request.param, tmp_path)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(params=CLIENTS, config=ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client))
async def misconfigured_client(request: pytest.FixtureRequest, lsp_client: LanguageClient, tmp_path: Path):
    """A server given invalid `initializationOptions`."""
    options = {"rules": {"NM001": {"enabled": "sometimes"}}}
    lsp_client.session = await start_session(lsp_client, request.param, tmp_path, options)
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def session(client: LanguageClient) -> Session:
    return client.session  # type: ignore[attr-defined]


@pytest.fixture
def faulty_session(faulty_client: LanguageClient) -> Session:
    return faulty_client.session  # type: ignore[attr-defined]


@pytest.fixture
def fixable_session(fixable_client: LanguageClient) -> Session:
    return fixable_client.session  # type: ignore[attr-defined]


@pytest.fixture
def misconfigured_session(misconfigured_client: LanguageClient) -> Session:
    return misconfigured_client.session  # type: ignore[attr-defined]
