#!/usr/bin/env bash
# The Node 20 lane: the packages whose `engines` still admit Node 20 (core, the vendor adapters,
# the contract kit) with the newest vendor SDK majors that still support it (openai 6,
# @google/genai 2), on Node 20 from the npm registry (.ci/install-node.sh).
# In a scratch copy of the tracked and untracked-unignored files, so the repo and its lockfile are
# never touched: .ci/node20-workspace.mjs drops the repo's Node 24 and the packages that need a
# newer Node and pins the SDKs, pnpm installs against Node 20 with engineStrict (so a dependency
# that needs a newer Node fails the lane), then tsc type-checks every package, tsup builds them,
# and vitest runs the
# remaining projects (type tests included), started with Node 20 directly so its workers run on 20.
# Writes .ci/out/vitest-node20.json; last line: the summary.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export CI=true NO_COLOR=1 FORCE_COLOR=0 VITEST_TYPECHECK=1
# pnpm 12 skips releases younger than about a day; the versions pinned here are old on purpose.
export PNPM_CONFIG_MINIMUM_RELEASE_AGE=0
NODE20_VERSION=20.20.2 # newest 20.x on the registry (npm view node@20 version)
start=$SECONDS
rc=0
step() { printf '\n--- [lane node 20 %4ss] %s\n' "$((SECONDS - start))" "$*"; }
fail() {
  echo "lane node 20: FAILED: $*" >&2
  rc=1
}

bin="$(bash .ci/install-node.sh "$NODE20_VERSION")" || exit 1
# Node 20 first, and no node_modules/.bin of the repo (its Node 24) anywhere on PATH.
export PATH="$bin:$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '/node_modules/\.bin$' | paste -sd: -)"
echo "node $(node --version) ($(command -v node)), pnpm $(pnpm --version)"
mkdir -p "$ROOT/.ci/out"
report="$ROOT/.ci/out/vitest-node20.json"
rm -f "$report"

step "scratch copy"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/toolbatch-node20.XXXXXX")"
cleanup() { [ "${KEEP_SCRATCH:-0}" = 1 ] && echo "scratch kept: $SCRATCH" || rm -rf "$SCRATCH"; }
trap cleanup EXIT
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
  tar --null -T - -cf - | tar -xf - -C "$SCRATCH" || {
  echo "lane node 20: could not copy the tracked files to $SCRATCH" >&2
  exit 1
}
cd "$SCRATCH"
projects="$(node "$ROOT/.ci/node20-workspace.mjs")" || {
  echo "lane node 20: could not prepare the workspace" >&2
  exit 1
}
echo "projects: $(echo $projects)"

step "install (engines checked against node $(node --version))"
if ! pnpm install --no-frozen-lockfile; then
  fail "pnpm install on node $(node --version)"
else
  echo "$(bash "$ROOT/.ci/sdk-versions.sh" packages/openai packages/google packages/anthropic), node $(node --version)"
  step "typecheck"
  node node_modules/typescript/bin/tsc -p tsconfig.json || fail "typecheck"
  # Built on Node 20 too: the kit's test loads the packed core and contract, as a user gets them.
  step "build"
  pnpm run build >/dev/null || fail "build"
  step "test"
  project_flags=()
  for project in $projects; do project_flags+=(--project "$project"); done
  node node_modules/vitest/vitest.mjs run "${project_flags[@]}" \
    --reporter=default --reporter=json --outputFile.json="$report" || fail "tests"
fi
cd "$ROOT"
summary="$(node .ci/vitest-summary.mjs "$report")" || rc=1
echo "lane node 20 done in $((SECONDS - start))s (rc=$rc)"
echo "$summary"
exit "$rc"
