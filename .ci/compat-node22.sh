#!/usr/bin/env bash
# Node 22 compatibility job (issue 8).
#   1. Installs a Node 22 binary from the npm registry into .ci/.node22 (gitignored) and puts it first
#      on PATH, so every `#!/usr/bin/env node` (vitest, tsc, tsup, tsx) and pnpm's engine check use it.
#   2. Runs the test suite (vitest run, type tests included) on Node 22 with the locked deps.
#   3. In a scratch copy of the tracked files (the repo and its lockfile are never touched): installs
#      the lockfile, upgrades openai to 7.x and @google/genai to 3.x (both need Node 22) wherever a
#      workspace package has them as devDependencies, then builds, typechecks and runs the suite.
# Reports land in .ci/out (gitignored). Exits non-zero if any step fails. Last line: the summary.
# Expects the repo installed (pnpm install --frozen-lockfile), as .ci/run leaves it; installs it if not.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export CI=true NO_COLOR=1 FORCE_COLOR=0
# The type tests are part of the suite: never let an outer VITEST_TYPECHECK=0 turn them off here.
export VITEST_TYPECHECK=1
# pnpm 12 skips releases younger than about a day; the versions below are pinned on purpose.
export PNPM_CONFIG_MINIMUM_RELEASE_AGE=0

NODE22_VERSION=22.23.3 # newest 22.x on the registry (npm view node@22 version)
OPENAI_NEXT=7.57.0     # openai 7.x declares node >=22
GENAI_NEXT=3.1.0       # @google/genai 3.x declares node >=22

start=$SECONDS
rc=0
step() { printf '\n--- [compat-node22 %4ss] %s\n' "$((SECONDS - start))" "$*"; }
fail() {
  echo "compat-node22: FAILED: $*" >&2
  rc=1
}
# Runs vitest with a JSON report and prints the summary line; returns non-zero on any failure.
suite() {
  local report="$1"
  rm -f "$report"
  pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$report"
  local vitest_rc=$?
  local summary
  summary="$(node "$ROOT/.ci/vitest-summary.mjs" "$report")"
  local summary_rc=$?
  echo "$summary"
  LAST_SUMMARY="$summary"
  [ "$vitest_rc" = 0 ] && [ "$summary_rc" = 0 ]
}
# The versions one dependency resolves to across the given workspace packages ("7.57.0", or "6.49.0/7.57.0").
resolved() {
  local dep="$1"
  shift
  node -e 'const fs=require("node:fs");
    const [dep, ...dirs] = process.argv.slice(1);
    const versions = dirs.map((dir) => {
      try { return JSON.parse(fs.readFileSync(`${dir}/node_modules/${dep}/package.json`, "utf8")).version; }
      catch { return "missing"; }
    });
    console.log([...new Set(versions)].sort().join("/") || "none");' "$dep" "$@"
}
# The workspace packages (directories, root "." included) that list a dependency in devDependencies.
packages_with_dev() {
  pnpm ls -r --depth -1 --json | node -e 'const fs = require("node:fs"), path = require("node:path");
    const manifests = JSON.parse(fs.readFileSync(0, "utf8"));
    for (const { path: dir } of manifests) {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
      if (manifest.devDependencies?.[process.argv[1]]) console.log(path.relative(".", dir) || ".");
    }' "$1"
}

step "node $NODE22_VERSION"
NODE22_DIR="$ROOT/.ci/.node22"
if [ "$("$NODE22_DIR/node_modules/.bin/node" --version 2>/dev/null)" != "v$NODE22_VERSION" ]; then
  npm install --prefix "$NODE22_DIR" --no-save --no-audit --no-fund --loglevel=error \
    "node@$NODE22_VERSION" || {
    echo "compat-node22: could not install node@$NODE22_VERSION from the registry" >&2
    exit 1
  }
fi
export PATH="$NODE22_DIR/node_modules/.bin:$PATH"
NODE_VERSION="$(node --version)"
echo "node $NODE_VERSION ($(command -v node)), pnpm $(pnpm --version)"
if [ "$NODE_VERSION" != "v$NODE22_VERSION" ]; then
  echo "compat-node22: expected node v$NODE22_VERSION first on PATH, got $NODE_VERSION" >&2
  exit 1
fi
command -v pnpm >/dev/null || {
  echo "compat-node22: pnpm is not on PATH (npm i -g pnpm@12.4.2)" >&2
  exit 1
}
mkdir -p "$ROOT/.ci/out"
rm -f "$ROOT/.ci/out/vitest-node22-locked.json" "$ROOT/.ci/out/vitest-node22-next.json"

step "locked deps: test on node $NODE_VERSION"
[ -d node_modules ] || pnpm install --frozen-lockfile || fail "pnpm install (locked)"
locked_versions="openai $(resolved openai $(packages_with_dev openai)), @google/genai $(resolved @google/genai $(packages_with_dev @google/genai)), node $NODE_VERSION"
echo "$locked_versions"
suite "$ROOT/.ci/out/vitest-node22-locked.json" || fail "tests on locked deps"
locked_summary="$LAST_SUMMARY"

step "next majors: scratch copy"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/toolbatch-compat-node22.XXXXXX")"
cleanup() { [ "${KEEP_SCRATCH:-0}" = 1 ] && echo "scratch kept: $SCRATCH" || rm -rf "$SCRATCH"; }
trap cleanup EXIT
# Tracked files as they are in the working tree (deleted ones skipped), plus untracked files that are
# not ignored, so uncommitted work is tested too. node_modules, dist and .ci/.node22 stay behind.
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
  tar --null -T - -cf - | tar -xf - -C "$SCRATCH" || {
  echo "compat-node22: could not copy the tracked files to $SCRATCH" >&2
  exit 1
}
cd "$SCRATCH"

next_summary="(not run)"
next_versions="(not installed)"
if ! pnpm install --frozen-lockfile; then
  fail "pnpm install --frozen-lockfile (scratch)"
else
  step "next majors: openai $OPENAI_NEXT, @google/genai $GENAI_NEXT"
  openai_pkgs="$(packages_with_dev openai)"
  genai_pkgs="$(packages_with_dev @google/genai)"
  upgraded=1
  for dir in $(printf '%s\n' $openai_pkgs $genai_pkgs | sort -u); do
    specs=()
    printf '%s\n' $openai_pkgs | grep -qx "$dir" && specs+=("openai@$OPENAI_NEXT")
    printf '%s\n' $genai_pkgs | grep -qx "$dir" && specs+=("@google/genai@$GENAI_NEXT")
    echo "$dir: ${specs[*]}"
    pnpm --filter "{./$dir}" add -D -E "${specs[@]}" || {
      fail "pnpm add ${specs[*]} in $dir"
      upgraded=0
    }
  done
  next_versions="openai $(resolved openai $openai_pkgs), @google/genai $(resolved @google/genai $genai_pkgs), node $NODE_VERSION"
  echo "$next_versions"
  if [ "$upgraded" = 1 ]; then
    [ "$(resolved openai $openai_pkgs)" = "$OPENAI_NEXT" ] || fail "openai did not resolve to $OPENAI_NEXT everywhere"
    [ "$(resolved @google/genai $genai_pkgs)" = "$GENAI_NEXT" ] || fail "@google/genai did not resolve to $GENAI_NEXT everywhere"
    step "next majors: build"
    pnpm run build || fail "build (openai $OPENAI_NEXT, @google/genai $GENAI_NEXT)"
    step "next majors: typecheck"
    pnpm run typecheck || fail "typecheck (openai $OPENAI_NEXT, @google/genai $GENAI_NEXT)"
    step "next majors: test"
    suite "$ROOT/.ci/out/vitest-node22-next.json" || fail "tests (openai $OPENAI_NEXT, @google/genai $GENAI_NEXT)"
    next_summary="$LAST_SUMMARY"
  fi
fi
cd "$ROOT"

step "done (rc=$rc, $((SECONDS - start))s)"
echo "locked deps: $locked_versions: $locked_summary"
echo "next majors: $next_versions: $next_summary"
# Last line: both runs together, in the form .ci/vitest-summary.mjs prints.
total="$(node -e 'const fs=require("node:fs"); let p=0, f=0, s=0;
  for (const file of process.argv.slice(1)) {
    let r; try { r = JSON.parse(fs.readFileSync(file, "utf8")); } catch { f += 1; continue; }
    p += r.numPassedTests ?? 0; f += (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
    s += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
  console.log(`${p} passed, ${f} failed, ${s} skipped`);' \
  "$ROOT/.ci/out/vitest-node22-locked.json" "$ROOT/.ci/out/vitest-node22-next.json")"
echo "compat-node22 (2 runs): $total"
exit "$rc"
