#!/usr/bin/env bash
# Packaging checks (issue 8): every package installs and works for a user exactly as published.
# Assumes `pnpm install` and `pnpm run build` already ran. Stops at the first failing step.
#   publint    package.json fields, exports and files against the packed tarball (--strict)
#   attw       the types each entry resolves to under node10, node16 (CJS and ESM) and bundler
#   size       size-limit budgets (.size-limit.cjs)
#   pack smoke the tarballs installed with npm outside the workspace: ESM, CJS, a tool loop
#   docs:api   typedoc over every package, warnings are errors
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=true NO_COLOR=1 FORCE_COLOR=0

step() { printf '\n=== [%4ss] package checks: %s\n' "$SECONDS" "$*"; }
trap 'rc=$?; [ "$rc" = 0 ] || printf "\n=== [%4ss] package checks FAILED (rc=%s)\n" "$SECONDS" "$rc" >&2' EXIT

step "publint";    pnpm run lint:pkg
step "attw";       pnpm run attw
step "size";       pnpm run size
step "pack smoke"; bash .ci/pack-smoke.sh
step "docs:api";   pnpm run docs:api
step "snippets";   bash .ci/typecheck-snippets.sh # README snippets and examples, strict, on the packed packages
step "done"
