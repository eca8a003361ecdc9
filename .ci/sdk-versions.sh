#!/usr/bin/env bash
# Prints the vendor SDK versions installed in the given workspace package folders, e.g.
# "openai 7.57.0, @google/genai 3.1.0" ("6.49.0/7.57.0" where folders differ, "-" where absent).
node -e 'const fs = require("node:fs");
  const dirs = process.argv.slice(1);
  const version = (dir, dep) => {
    try { return JSON.parse(fs.readFileSync(`${dir}/node_modules/${dep}/package.json`, "utf8")).version; }
    catch { return undefined; }
  };
  const sdks = ["openai", "@anthropic-ai/sdk", "@google/genai", "@google/generative-ai"];
  console.log(sdks.map((dep) => {
    const found = [...new Set(dirs.map((dir) => version(dir, dep)).filter(Boolean))].sort();
    return `${dep} ${found.join("/") || "-"}`;
  }).join(", "));' "$@"
