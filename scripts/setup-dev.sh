#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian 12 machine (run as root, or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
if command -v apt-get >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends golang-go go-staticcheck gopls neovim >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e '.[test]'
