#!/usr/bin/env bash
# Publishes the fast `wafer`: Native AOT for this machine's runtime identifier, into the folder
# given (default: wafer-cli). The result is wafer-cli/wafer, a native executable that needs no
# .NET runtime for its subcommands, and wafer-cli/runner/, the notebook runner that `wafer run`
# starts with the installed .NET runtime. Native AOT links with clang (Debian: apt-get install
# clang zlib1g-dev); a versioned clang (clang-14, ...) is used when plain clang is missing.
# Usage: bash build/publish-wafer.sh [OUTPUT_DIR]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-wafer-cli}"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) rid=linux-x64 ;;
  Linux-aarch64) rid=linux-arm64 ;;
  Darwin-x86_64) rid=osx-x64 ;;
  Darwin-arm64) rid=osx-arm64 ;;
  *) echo "publish-wafer: no Native AOT runtime identifier for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

linker=()
if [ "$(uname -s)" = Linux ] && ! command -v clang >/dev/null; then
  versioned="$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -n 1 || true)"
  if [ -z "$versioned" ]; then
    echo "publish-wafer: Native AOT needs clang to link (Debian: apt-get install clang zlib1g-dev)" >&2
    exit 1
  fi
  linker=(-p:CppCompilerAndLinker="$versioned")
fi

dotnet publish "$repo/src/WaferNotebooks.Cli" -c Release -r "$rid" -o "$out" --nologo "${linker[@]}" >&2
echo "publish-wafer: $out/wafer ($(du -k "$out/wafer" | cut -f1) KB, Native AOT, $rid); $out/runner/ for wafer run" >&2
