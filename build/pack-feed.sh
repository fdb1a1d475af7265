#!/usr/bin/env bash
# Packs the notebook extension into the local feed artifacts/feed and registers that folder as
# the user-level NuGet source "wafernotebooks-local" (an absolute path; safe to run again), so a
# notebook's first cell, #r "nuget: WaferNotebooks.Interactive, *-*", loads this build in VS Code,
# Jupyter and `wafer run`. One package holds everything: the extension, the simulator and the
# chart renderer. Its version, <Version>-dev.<UTC time>, is new on every run, and *-* floats to
# the newest, so the NuGet cache never serves an older build. See docs/notebooks.md.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
feed="$repo/artifacts/feed"
source_name="wafernotebooks-local"
mkdir -p "$feed"

# Two test projects may call this at once: one pack at a time.
if command -v flock >/dev/null; then
  exec 9>"$feed/.lock"
  flock 9
fi

prefix="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)"
version="$prefix-dev.$(date -u +%Y%m%dT%H%M%S)"
while [ -e "$feed/WaferNotebooks.Interactive.$version.nupkg" ]; do
  sleep 1
  version="$prefix-dev.$(date -u +%Y%m%dT%H%M%S)"
done

dotnet pack "$repo/src/WaferNotebooks.Interactive" -c Release -o "$feed" -p:PackageVersion="$version" --nologo -v quiet >&2
package="$feed/WaferNotebooks.Interactive.$version.nupkg"
[ -f "$package" ] || { echo "pack-feed: dotnet pack wrote no $package" >&2; exit 1; }
# Older builds are of no use to *-*: keep the feed to the one just made.
find "$feed" -maxdepth 1 -name 'WaferNotebooks.Interactive.*.nupkg' ! -name "$(basename "$package")" -delete

if dotnet nuget list source | grep -Eq "^ *[0-9]+\. +$source_name \["; then
  dotnet nuget update source "$source_name" --source "$feed" >/dev/null
  dotnet nuget enable source "$source_name" >/dev/null
else
  dotnet nuget add source "$feed" --name "$source_name" >/dev/null
fi

echo "pack-feed: WaferNotebooks.Interactive $version in $feed ($(du -k "$package" | cut -f1) KB), NuGet source '$source_name'" >&2
echo "pack-feed: a notebook's first cell: #r \"nuget: WaferNotebooks.Interactive, *-*\"" >&2
# stdout: the version alone, for scripts.
echo "$version"
