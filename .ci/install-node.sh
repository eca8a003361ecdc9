#!/usr/bin/env bash
# Installs one Node version from the npm registry (the `node` package ships the real binary) into
# .ci/.node<major> (gitignored), unless it is there already, and prints the folder to put first on
# PATH. Usage: PATH="$(bash .ci/install-node.sh 22.23.3):$PATH"
set -euo pipefail
cd "$(dirname "$0")/.."
version="$1"
dir="$PWD/.ci/.node${version%%.*}"
if [ "$("$dir/node_modules/.bin/node" --version 2>/dev/null)" != "v$version" ]; then
  rm -rf "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node@$version" >&2 || {
    echo "install-node: could not install node@$version from the registry" >&2
    exit 1
  }
fi
actual="$("$dir/node_modules/.bin/node" --version)"
if [ "$actual" != "v$version" ]; then
  echo "install-node: expected node v$version in $dir, got $actual" >&2
  exit 1
fi
echo "$dir/node_modules/.bin"
