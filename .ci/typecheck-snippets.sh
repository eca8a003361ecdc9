#!/usr/bin/env bash
# Type-checks what a user copies (issue 18): every ```ts block of README.md and packages/*/README.md
# (extracted by .ci/typecheck-snippets.mjs, which documents the conventions) and every example
# (examples/*.ts, with the demo and support files they import), as a user's project would:
#  1. `pnpm pack` every package, npm-install the tarballs into a scratch project outside the
#     workspace with the newest vendor SDK majors (openai 7, @anthropic-ai/sdk, @google/genai 3,
#     @google/generative-ai) and the other packages the snippets name;
#  2. `tsc --noEmit` with strict, exactOptionalPropertyTypes and noUncheckedIndexedAccess (what
#     `tsc --init` writes), module nodenext;
#  3. a snippet with errors fails the check unless .ci/typecheck-snippets.allow lists it (the debt
#     its owner has to pay); a listed snippet that compiles is reported, to be taken off the list.
# Assumes `pnpm install` and `pnpm run build` ran. Exits non-zero when an unlisted snippet fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export NO_COLOR=1 npm_config_update_notifier=false

PACKAGES=(core openai anthropic google contract pg-boss otel)
# Newest majors of the vendor SDKs, and what else the snippets import.
DEPS='{
  "openai": "^7",
  "@anthropic-ai/sdk": "latest",
  "@google/genai": "^3",
  "@google/generative-ai": "latest",
  "zod": "^4",
  "pg-boss": "^12",
  "@opentelemetry/api": "^1.9",
  "@opentelemetry/sdk-trace-base": "^2",
  "@opentelemetry/context-async-hooks": "^2",
  "ioredis": "^5",
  "vitest": "^4",
  "tsx": "^4",
  "@types/node": "^24"
}'
TSC="$PWD/node_modules/typescript/bin/tsc"
ALLOW=".ci/typecheck-snippets.allow"

work="${SNIPPETS_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/toolbatch-snippets.XXXXXX")}"
[ -n "${SNIPPETS_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
rm -rf "$work/tarballs" "$work/app/snippets" "$work/app/examples"
mkdir -p "$work/tarballs" "$work/app/snippets"

for name in "${PACKAGES[@]}"; do
  if [ ! -f "packages/$name/dist/index.js" ]; then
    echo "packages/$name/dist is missing: run \`pnpm run build\` first" >&2
    exit 1
  fi
  pnpm --dir "packages/$name" pack --pack-destination "$work/tarballs" >/dev/null
done

DEPS="$DEPS" node -e '
  const { readdirSync, writeFileSync } = require("node:fs");
  const [tarballs, app, ...names] = process.argv.slice(1);
  const dependencies = JSON.parse(process.env.DEPS);
  for (const name of names) {
    const file = readdirSync(tarballs).find((f) => f.startsWith(`toolbatch-${name}-`));
    dependencies[`@toolbatch/${name}`] = `file:${tarballs}/${file}`;
  }
  const overrides = { "@toolbatch/core": "$@toolbatch/core" };
  const manifest = { name: "toolbatch-snippets", private: true, type: "module", dependencies, overrides };
  writeFileSync(`${app}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`);
' "$work/tarballs" "$work/app" "${PACKAGES[@]}"
(cd "$work/app" && npm install --no-audit --no-fund --loglevel=error)
(cd "$work/app" && node -e '
  for (const name of ["openai", "@anthropic-ai/sdk", "@google/genai", "@google/generative-ai"]) {
    const { version } = JSON.parse(require("node:fs").readFileSync(`node_modules/${name}/package.json`, "utf8"));
    console.log(`${name} ${version}`);
  }')
echo "typescript $(node "$TSC" --version)"

node .ci/typecheck-snippets.mjs "$work/app/snippets" >"$work/snippets.tsv"
# The examples as they are in the repo, with the files they import; none of their own node_modules.
mkdir -p "$work/app/examples"
tar -C examples --exclude=node_modules --exclude=test --exclude=workers -cf - . | tar -C "$work/app/examples" -xf -
for file in examples/*.ts; do
  [ "$(basename "$file")" = vitest.config.ts ] && continue # the examples' test config, not an example
  printf '%s\t%s\n' "$file" "../examples/$(basename "$file")" >>"$work/snippets.tsv"; done

cat >"$work/app/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "esnext",
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "noUncheckedIndexedAccess": true,
    "skipLibCheck": true,
    "noEmit": true,
    "types": ["node"]
  },
  "include": ["snippets/*.ts", "examples/*.ts"]
}
JSON
set +e
(cd "$work/app" && node "$TSC" -p . --pretty false) >"$work/tsc.out" 2>&1
set -e

node - "$work" "$ALLOW" <<'JS'
const { readFileSync } = require("node:fs");
const [work, allowPath] = process.argv.slice(2);
const rows = readFileSync(`${work}/snippets.tsv`, "utf8").trim().split("\n").map((l) => l.split("\t"));
// The allow-list: "<id>  # why", one a line; blank lines and lines starting with # are comments.
const allowed = new Map(
  readFileSync(allowPath, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))
    .map((l) => { const [id, ...why] = l.split(/\s+#\s*/); return [id.trim(), why.join(" # ")]; }),
);
const errors = new Map();
for (const line of readFileSync(`${work}/tsc.out`, "utf8").split("\n")) {
  const match = /^(snippets\/[^(]+|examples\/[^(]+)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
  if (!match) continue;
  const key = match[1].startsWith("snippets/") ? match[1].slice("snippets/".length) : `../${match[1]}`;
  if (!errors.has(key)) errors.set(key, []);
  errors.get(key).push(`line ${match[2]} ${match[3]}: ${match[4]}`);
}
const stray = readFileSync(`${work}/tsc.out`, "utf8").split("\n").filter((l) => / error TS/.test(l) && !/^(snippets|examples)\//.test(l));
let failed = 0, passed = 0, listed = 0;
const skipped = [];
for (const [id, file] of rows) {
  if (file === "skip") { skipped.push(id); continue; }
  const found = errors.get(file) ?? [];
  if (found.length === 0) {
    passed++;
    if (allowed.has(id)) console.log(`COMPILES NOW (take it off ${allowPath}): ${id}`);
  } else if (allowed.has(id)) {
    listed++;
    console.log(`allowed: ${id} (${found.length} error(s); ${allowed.get(id)})`);
  } else {
    failed++;
    console.log(`FAILED: ${id}\n  ${found.join("\n  ")}`);
  }
}
for (const id of allowed.keys()) if (!rows.some(([row]) => row === id)) console.log(`unknown allow-list entry (remove it): ${id}`);
for (const line of stray) { failed++; console.log(`FAILED outside the snippets: ${line}`); }
console.log(`snippets: ${passed} compile, ${listed} allow-listed with errors, ${failed} fail, ${skipped.length} skipped (no-check)${skipped.length ? `: ${skipped.join(", ")}` : ""}`);
process.exit(failed > 0 ? 1 : 0);
JS
