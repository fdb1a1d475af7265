#!/usr/bin/env bash
# The shipped notebooks, as they are, in the unmodified dotnet-interactive tool: the package is
# built into the local feed by the documented command (build/pack-feed.sh, a version used once,
# so a stale package in the NuGet cache is never what gets tested), and each notebook's own first
# cell, #r "nuget: WaferNotebooks.Interactive, *-*", loads it.
# Needs: the dotnet-interactive tool (dotnet tool install -g Microsoft.dotnet-interactive --version 1.0.712001),
# python3, Debian's jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel, and chromium.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
version="$(bash "$repo/build/pack-feed.sh")"
echo "testing WaferNotebooks.Interactive $version from the local feed"
python3 "$repo/tests/RealClients/stdio_check.py" "$repo/notebooks/01-quickstart.ipynb"
python3 "$repo/tests/RealClients/jupyter_check.py" "$repo"/notebooks/*.ipynb
