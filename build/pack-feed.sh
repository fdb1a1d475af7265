#!/usr/bin/env bash
# Packs the notebook extension into artifacts/feed (the repository's ignored build output), copies
# the package into a per-user feed folder outside any clone, and registers that folder as the
# user-level NuGet source "wafernotebooks-local" (safe to run again), so a notebook's first cell,
# #r "nuget: WaferNotebooks.Interactive, *-*", loads this build in VS Code, Jupyter and `wafer run`.
# The registered folder is never inside a clone: deleting artifacts/ or the whole clone leaves
# every restore of the user working (a registered folder that is gone fails them all, NU1301).
# One package holds everything: the extension, the simulator and the chart renderer. Its version,
# <Version>-dev.<UTC time>, is new on every run, and *-* floats to the newest, so the NuGet cache
# never serves an older build. See docs/notebooks.md.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
feed="$repo/artifacts/feed"
# Per user, outside every clone: $XDG_DATA_HOME (default ~/.local/share)/wafernotebooks/feed.
user_feed="${XDG_DATA_HOME:-$HOME/.local/share}/wafernotebooks/feed"
source_name="wafernotebooks-local"
mkdir -p "$feed" "$user_feed"
# The user-level NuGet configuration, named explicitly: without --configfile, `dotnet nuget`
# reads and writes the configuration nearest the current folder, which may be a nuget.config of
# some project rather than the user's. Listing once from $HOME creates it if it is missing.
if [ -n "${APPDATA:-}" ]; then user_config="$APPDATA/NuGet/NuGet.Config"; else user_config="$HOME/.nuget/NuGet/NuGet.Config"; fi
[ -f "$user_config" ] || (cd "$HOME" && dotnet nuget list source >/dev/null)

# The source first, before dotnet pack restores: a registration left pointing at a folder that is
# gone (a deleted clone's artifacts/feed, as this script registered before) fails every restore.
# The per-user folder is shared by every clone of this user: one writer at a time.
(
  if command -v flock >/dev/null; then
    flock 8
  fi
  if dotnet nuget list source --configfile "$user_config" | grep -Eq "^ *[0-9]+\. +$source_name \["; then
    dotnet nuget update source "$source_name" --source "$user_feed" --configfile "$user_config" >/dev/null
    dotnet nuget enable source "$source_name" --configfile "$user_config" >/dev/null
  else
    dotnet nuget add source "$user_feed" --name "$source_name" --configfile "$user_config" >/dev/null
  fi
) 8>"$user_feed/.lock"

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
# Older builds are of no use to *-*: keep the repository's feed to the one just made.
find "$feed" -maxdepth 1 -name 'WaferNotebooks.Interactive.*.nupkg' ! -name "$(basename "$package")" -delete

# The per-user feed keeps the three newest packages, so a clone that packed a moment ago still
# finds its own while it restores.
(
  if command -v flock >/dev/null; then
    flock 8
  fi
  cp "$package" "$user_feed/"
  ls -1 "$user_feed"/WaferNotebooks.Interactive.*.nupkg | sort -r | tail -n +4 | while read -r old; do rm -f "$old"; done
) 8>"$user_feed/.lock"

echo "pack-feed: WaferNotebooks.Interactive $version in $feed and $user_feed ($(du -k "$package" | cut -f1) KB), NuGet source '$source_name' = $user_feed" >&2
echo "pack-feed: a notebook's first cell: #r \"nuget: WaferNotebooks.Interactive, *-*\"" >&2
# stdout: the version alone, for scripts.
echo "$version"
