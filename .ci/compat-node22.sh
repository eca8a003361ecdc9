#!/usr/bin/env bash
# The Node 22 lane: the whole test suite (type tests included) on Node 22 with the locked deps,
# the same newest vendor SDK majors as the main lane (openai 7 and @google/genai 3 support 22).
# Node 22 comes from the npm registry (.ci/install-node.sh). vitest is started with that Node
# directly, not through pnpm (pnpm would put the repo's Node 24 first on PATH), so its test workers,
# forked from it, run on 22. Writes .ci/out/vitest-node22.json; last line: the summary.
# Expects the repo installed (pnpm install --frozen-lockfile), as .ci/run leaves it.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export CI=true NO_COLOR=1 FORCE_COLOR=0
# The type tests are part of the suite: never let an outer VITEST_TYPECHECK=0 turn them off here.
export VITEST_TYPECHECK=1
NODE22_VERSION=22.23.3 # newest 22.x on the registry (npm view node@22 version)
start=$SECONDS

bin="$(bash .ci/install-node.sh "$NODE22_VERSION")" || exit 1
export PATH="$bin:$PATH"
echo "lane node 22: node $(node --version) ($(command -v node)), $(bash .ci/sdk-versions.sh packages/openai packages/google)"
mkdir -p .ci/out
report="$ROOT/.ci/out/vitest-node22.json"
rm -f "$report"
node node_modules/vitest/vitest.mjs run --reporter=default --reporter=json --outputFile.json="$report"
rc=$?
summary="$(node .ci/vitest-summary.mjs "$report")" || rc=1
echo "lane node 22 done in $((SECONDS - start))s (rc=$rc)"
echo "$summary"
exit "$rc"
