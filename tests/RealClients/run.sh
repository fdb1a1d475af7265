#!/usr/bin/env bash
# Packs WaferNotebooks.Core and WaferNotebooks.Interactive under a version used once into a
# fresh local folder feed (so a stale package in the NuGet cache is never what gets tested)
# and runs the checks against the unmodified dotnet-interactive tool.
# Needs: the dotnet-interactive tool (dotnet tool install -g Microsoft.dotnet-interactive --version 1.0.712001),
# python3, and Debian's jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
feed="$(mktemp -d)"
version="0.1.0-check.$(date +%s)"
trap 'rm -rf "$feed"' EXIT
for project in WaferNotebooks.Core WaferNotebooks.Interactive; do
  dotnet pack "$repo/src/$project" -c Release -o "$feed" -p:Version="$version" --nologo -v quiet
done
python3 "$repo/tests/RealClients/stdio_check.py" "$feed" "$version"
python3 "$repo/tests/RealClients/jupyter_check.py" "$feed" "$version"
