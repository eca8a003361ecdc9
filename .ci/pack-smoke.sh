#!/usr/bin/env bash
# Pack smoke test: every package exactly as a user installs it.
#  1. `pnpm pack` each package (this turns `workspace:^` into a real version, as publishing does);
#  2. npm-install all the tarballs in ONE command, with the vendor SDKs and zod pinned, into a
#     scratch project outside the workspace (an override keeps @toolbatch/core on the local tarball);
#  3. import every ESM entry, require every CJS entry, and run one OpenAI tool loop from the
#     installed tarballs (.ci/pack-smoke/round-trip.mjs);
#  4. for each Google SDK, a second scratch project with ONLY that SDK (both are optional peers of
#     @toolbatch/google): `tsc --noEmit` with `skipLibCheck: false` (ESM and CJS) over an import of
#     its own entry, `@toolbatch/google/genai` or `@toolbatch/google/generative-ai`, whose types
#     must not name the other SDK (TS2307), then an import and a require of that entry.
# Assumes `pnpm install` and `pnpm run build` ran. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export NO_COLOR=1 npm_config_update_notifier=false

PACKAGES=(core openai anthropic google contract otel pg-boss)
# The peers a user installs next to the adapters: the SDK versions the workspace tests against.
# vitest is the kit's (`@toolbatch/contract`) peer; pinned so npm does not pick a Node-22-only major.
PEERS='{
  "openai": "7.57.0",
  "@anthropic-ai/sdk": "1.13.0",
  "@google/genai": "3.1.0",
  "@google/generative-ai": "0.24.1",
  "zod": "4.6.7",
  "vitest": "4.1.12",
  "@opentelemetry/api": "1.9.1",
  "pg-boss": "12.38.1"
}'
# The per-SDK entries of @toolbatch/google: the entry `@toolbatch/google/<name>` is for the SDK
# `@google/<name>`, and is checked in a project where that SDK is the only one.
GOOGLE_SDK_ENTRIES=(genai generative-ai)
# The workspace's TypeScript, by path: the per-SDK projects install nothing but the package.
TSC="$PWD/node_modules/typescript/bin/tsc"
# Each entry point, with names it must export. `@toolbatch/contract` (".") is ESM only: it imports
# vitest, which cannot be required.
export ESM_ENTRIES='{
  "@toolbatch/core": ["defineTool", "executeBatch", "runToolLoop", "ToolbatchError"],
  "@toolbatch/core/file-store": ["createFileBatchStore"],
  "@toolbatch/openai": ["openaiChat", "openaiResponses"],
  "@toolbatch/anthropic": ["anthropic", "InvalidCallIdError"],
  "@toolbatch/google": ["googleGenAI", "googleGenerativeAI"],
  "@toolbatch/google/genai": ["googleGenAI", "googleGenAITranscript", "CandidateNotFoundError"],
  "@toolbatch/google/generative-ai": [
    "googleGenerativeAI", "googleGenerativeAITranscript", "CandidateNotFoundError"
  ],
  "@toolbatch/contract": ["describeAdapterContract", "loadSpecValidator", "startVendorServer"],
  "@toolbatch/contract/server": ["startVendorServer", "scriptedToolModel", "loadRecordings"],
  "@toolbatch/otel": ["createToolTracer", "composeEvents"],
  "@toolbatch/pg-boss": ["createQueueExecutor", "createToolWorker", "createPostgresBatchStore"]
}'
export CJS_ENTRIES='[
  "@toolbatch/core", "@toolbatch/core/file-store", "@toolbatch/openai", "@toolbatch/anthropic",
  "@toolbatch/google", "@toolbatch/google/genai", "@toolbatch/google/generative-ai", "@toolbatch/contract/server",
  "@toolbatch/otel", "@toolbatch/pg-boss"
]'

started=$SECONDS
current="setup"
say() {
  current="$*"
  printf -- '--- [%3ss] %s\n' "$((SECONDS - started))" "$*"
}
work="$(mktemp -d "${TMPDIR:-/tmp}/toolbatch-pack-smoke.XXXXXX")"
single_sdk_checks=() # the pids of the background single-SDK checks (below)
finish() {
  local rc=$?
  for pid in "${single_sdk_checks[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  if [ "$rc" != 0 ]; then echo "pack smoke FAILED at: $current (rc=$rc)" >&2; fi
}
trap finish EXIT
mkdir -p "$work/tarballs" "$work/app"

say "pack ${PACKAGES[*]}"
for name in "${PACKAGES[@]}"; do
  if [ ! -f "packages/$name/dist/index.js" ]; then
    echo "packages/$name/dist is missing: run \`pnpm run build\` first" >&2
    exit 1
  fi
  pnpm --dir "packages/$name" pack --pack-destination "$work/tarballs" >/dev/null
done

# One project per Google SDK, with only that SDK, run in the background next to the main install
# (tsc over @google/genai's declarations, without skipLibCheck, takes seconds): install, type-check
# the SDK's entry as ESM and as CJS, then import and require it. Output goes to a log, shown after.
check_single_sdk() {
  local sdk="$1" entry="@toolbatch/google/$1" app="$work/only-$1" adapter codec other file
  case "$sdk" in
    genai) adapter=googleGenAI codec=googleGenAITranscript ;;
    generative-ai) adapter=googleGenerativeAI codec=googleGenerativeAITranscript ;;
  esac
  mkdir -p "$app"
  PEERS="$PEERS" node -e '
    const { readdirSync, writeFileSync } = require("node:fs");
    const [tarballs, app, sdk] = process.argv.slice(1);
    const tarball = (name) =>
      `file:${tarballs}/${readdirSync(tarballs).find((file) => file.startsWith(`toolbatch-${name}-`))}`;
    const dependencies = {
      "@toolbatch/core": tarball("core"),
      "@toolbatch/google": tarball("google"),
      [`@google/${sdk}`]: JSON.parse(process.env.PEERS)[`@google/${sdk}`],
    };
    const overrides = { "@toolbatch/core": "$@toolbatch/core" };
    const manifest = { name: `toolbatch-pack-smoke-only-${sdk}`, private: true, dependencies, overrides };
    writeFileSync(`${app}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  ' "$work/tarballs" "$app" "$sdk"
  cd "$app"
  npm install --no-audit --no-fund --loglevel=error
  for other in "${GOOGLE_SDK_ENTRIES[@]}"; do
    if [ "$other" != "$sdk" ] && [ -e "node_modules/@google/$other" ]; then
      echo "@google/$other is installed: the check would prove nothing" >&2
      return 1
    fi
  done

  # The same source as ESM (.mts) and as CommonJS (.cts), so nodenext reads the `import` and the
  # `require` types; it uses the entry's adapter and codec with its SDK's own types.
  for file in index.mts index.cts; do
    cat >"$file" <<EOF
import type { Content, GenerateContentResponse } from "@google/$sdk";
import type { ToolCallBatch, TranscriptCodec } from "@toolbatch/core";
import { CandidateNotFoundError, type GeminiTranscriptOptions, $adapter, $codec } from "$entry";

const options: GeminiTranscriptOptions = {};
export const codec: TranscriptCodec<Content> = $codec(options);
export const toBatch = (response: GenerateContentResponse): ToolCallBatch<Content> =>
  $adapter().toBatch(response);
export const isCandidateError = (value: unknown): boolean => CandidateNotFoundError.isInstance(value);
EOF
  done
  cat >tsconfig.json <<'EOF'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "strict": true,
    "skipLibCheck": false,
    "noEmit": true,
    "types": []
  },
  "files": ["index.mts", "index.cts"]
}
EOF
  node "$TSC" -p tsconfig.json
  echo "tsc --noEmit (skipLibCheck false, ESM and CJS): $entry types check with only @google/$sdk"

  # A Gemini response with one call, which both SDKs' responses are.
  local check='
    const module = globalThis.loaded;
    const { ENTRY, ADAPTER } = process.env;
    const missing = JSON.parse(process.env.ESM_ENTRIES)[ENTRY].filter((name) => module[name] === undefined);
    if (missing.length > 0) throw new Error(`${ENTRY} lacks ${missing.join(", ")}`);
    const batch = module[ADAPTER]().toBatch({
      candidates: [{
        content: { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } } }] },
        finishReason: "STOP",
      }],
    });
    if (batch.calls.length !== 1 || batch.calls[0].name !== "get_weather" || !batch.complete) {
      throw new Error(`${ADAPTER}().toBatch: ${JSON.stringify(batch)}`);
    }
  '
  ENTRY="$entry" ADAPTER="$adapter" node --input-type=module \
    -e "globalThis.loaded = await import(process.env.ENTRY); $check"
  ENTRY="$entry" ADAPTER="$adapter" node -e "
    const resolved = require.resolve(process.env.ENTRY);
    if (!resolved.endsWith('.cjs')) throw new Error(process.env.ENTRY + ' resolved to ' + resolved);
    globalThis.loaded = require(process.env.ENTRY); $check"
  echo "import and require $entry (only @google/$sdk installed): one call decoded"
}

say "single-SDK projects (${GOOGLE_SDK_ENTRIES[*]}): started in the background"
for sdk in "${GOOGLE_SDK_ENTRIES[@]}"; do
  check_single_sdk "$sdk" >"$work/only-$sdk.log" 2>&1 &
  single_sdk_checks+=("$!")
done

say "npm install (tarballs + pinned peers) in $work/app"
cp .ci/pack-smoke/round-trip.mjs "$work/app/"
PEERS="$PEERS" node -e '
  const { readdirSync, writeFileSync } = require("node:fs");
  const [tarballs, app] = process.argv.slice(1);
  const dependencies = JSON.parse(process.env.PEERS);
  for (const file of readdirSync(tarballs)) {
    const name = file.match(/^toolbatch-(.+)-\d+\.\d+\.\d+.*\.tgz$/)?.[1];
    if (!name) throw new Error(`unexpected tarball ${file}`);
    dependencies[`@toolbatch/${name}`] = `file:${tarballs}/${file}`;
  }
  // The adapters ask for @toolbatch/core by version range: keep it on the local tarball.
  const overrides = { "@toolbatch/core": "$@toolbatch/core" };
  const manifest = { name: "toolbatch-pack-smoke", private: true, dependencies, overrides };
  writeFileSync(`${app}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`);
' "$work/tarballs" "$work/app"
cd "$work/app"
npm install --no-audit --no-fund --loglevel=error

say "one @toolbatch/core, from the local tarball"
node -e '
  const lock = require("./package-lock.json");
  const copies = Object.entries(lock.packages).filter(([path]) => path.endsWith("node_modules/@toolbatch/core"));
  const bad = copies.filter(([, entry]) => !String(entry.resolved).startsWith("file:"));
  if (copies.length !== 1 || bad.length > 0) {
    console.error("expected one @toolbatch/core from file:, got", copies);
    process.exit(1);
  }
  console.log(`${copies[0][0]} <- ${copies[0][1].resolved}`);
'

say "ESM: import every entry"
node --input-type=module -e '
  const entries = JSON.parse(process.env.ESM_ENTRIES);
  for (const [entry, names] of Object.entries(entries)) {
    const module = await import(entry);
    const missing = names.filter((name) => module[name] === undefined);
    if (missing.length > 0) throw new Error(`${entry} lacks ${missing.join(", ")}`);
    console.log(`import ${entry}: ${Object.keys(module).length} exports`);
  }
  // The data @toolbatch/contract ships in `files`: recordings/ and specs/.
  const { loadRecordings, loadSpecValidator } = await import("@toolbatch/contract");
  const recordings = loadRecordings().length;
  if (recordings === 0) throw new Error("no recordings in @toolbatch/contract");
  const problems = loadSpecValidator("openai").validate("ChatCompletionRequestToolMessage", {
    role: "tool", content: "ok", tool_call_id: "call_1",
  });
  if (problems.length > 0) throw new Error(`spec validator: ${problems.join("; ")}`);
  console.log(`@toolbatch/contract data: ${recordings} recordings, openai spec loads`);
'

say "CJS: require every CommonJS entry"
node -e '
  const esm = JSON.parse(process.env.ESM_ENTRIES);
  for (const entry of JSON.parse(process.env.CJS_ENTRIES)) {
    const resolved = require.resolve(entry);
    if (!resolved.endsWith(".cjs")) throw new Error(`${entry} resolved to ${resolved}, not .cjs`);
    const module = require(entry);
    const missing = esm[entry].filter((name) => module[name] === undefined);
    if (missing.length > 0) throw new Error(`${entry} lacks ${missing.join(", ")}`);
    console.log(`require ${entry}: ${Object.keys(module).length} exports`);
  }
  const { loadRecordings } = require("@toolbatch/contract/server");
  if (loadRecordings("openai-chat").length === 0) throw new Error("no recordings from CJS");
'

say "CJS: @toolbatch/contract (ESM only)"
# It has no `require` condition. Node without require(esm) (before 20.19 / 22.12, or with
# --no-experimental-require-module) must refuse it with ERR_REQUIRE_ESM, which names import();
# Node with require(esm) (20.19+, 22.12+) loads the ESM build.
node --no-experimental-require-module -e '
  try {
    require("@toolbatch/contract");
  } catch (error) {
    if (error.code !== "ERR_REQUIRE_ESM" || !/dynamic import\(\)/.test(error.message)) throw error;
    console.log(`require @toolbatch/contract without require(esm): ${error.code} (expected)`);
    process.exit(0);
  }
  throw new Error("require(\"@toolbatch/contract\") loaded without require(esm)");
'
node -e '
  if (!process.features.require_module) {
    console.log("this Node has no require(esm): skipped");
    process.exit(0);
  }
  const { describeAdapterContract } = require("@toolbatch/contract");
  if (typeof describeAdapterContract !== "function") throw new Error("require(esm) gave no kit");
  console.log(`require @toolbatch/contract with require(esm) (Node ${process.version}): loads the ESM build`);
'

say "round trip: zod tool + openai client + loopback server, from the tarballs"
node round-trip.mjs

for i in "${!GOOGLE_SDK_ENTRIES[@]}"; do
  sdk="${GOOGLE_SDK_ENTRIES[$i]}"
  say "@toolbatch/google/$sdk with only @google/$sdk: install, tsc (skipLibCheck false), import, require"
  if ! wait "${single_sdk_checks[$i]}"; then
    cat "$work/only-$sdk.log" >&2
    exit 1
  fi
  grep -v '^$' "$work/only-$sdk.log"
done

current="done"
counts="$(node -p 'Object.keys(JSON.parse(process.env.ESM_ENTRIES)).length + " ESM entries, " + JSON.parse(process.env.CJS_ENTRIES).length + " CJS entries"')"
echo "pack smoke passed in $((SECONDS - started))s: ${#PACKAGES[@]} tarballs, $counts, 1 tool loop, ${#GOOGLE_SDK_ENTRIES[@]} single-SDK Google projects"
