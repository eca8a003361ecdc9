// Extracts the ```ts blocks of the root README.md and of every packages/*/README.md into one
// TypeScript file each, for .ci/typecheck-snippets.sh to compile against the packed packages.
//   node .ci/typecheck-snippets.mjs <out-dir>
// Prints one line per snippet: "<id>\t<file>" (or "<id>\tskip" for a ```ts no-check block).
//
// Conventions for README authors:
// - Every ```ts block is compiled as its own ES module (top-level await allowed), with strict,
//   exactOptionalPropertyTypes and noUncheckedIndexedAccess, against the published packages.
// - A fragment that uses names it does not define gets a hidden preamble: an HTML comment right
//   before the fence, invisible on GitHub and npm,
//     <!-- ts-preamble: import type OpenAI from "openai"; declare const client: OpenAI; -->
//   whose text is put before the snippet (it may span lines).
// - ```ts no-check skips a block (say why next to it); keep them rare: the script lists them.
// - A snippet's id is "<readme>#<heading slug>/<n>": the nth ts block under that heading. The
//   allow-list (.ci/typecheck-snippets.allow) names snippets by it.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [outDir] = process.argv.slice(2);
if (!outDir) throw new Error("usage: node .ci/typecheck-snippets.mjs <out-dir>");
mkdirSync(outDir, { recursive: true });

const readmes = [
  "README.md",
  ...readdirSync("packages", { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `packages/${entry.name}/README.md`)
    .filter((path) => {
      try {
        readFileSync(path);
        return true;
      } catch {
        return false;
      }
    })
    .sort(),
];

const slug = (heading) =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .trim()
    .replace(/\s+/g, "-") || "top";

for (const readme of readmes) {
  const lines = readFileSync(readme, "utf8").split("\n");
  let heading = "top";
  const counts = new Map();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const title = /^#{1,6}\s+(.*)$/.exec(line);
    if (title) heading = slug(title[1]);
    const fence = /^```(ts|typescript)(\s+no-check)?\s*$/.exec(line);
    if (!fence) {
      // Skip over other fenced blocks, so a "#" line inside them is not a heading.
      if (/^```/.test(line)) while (i + 1 < lines.length && !/^```\s*$/.test(lines[++i]));
      continue;
    }
    const n = (counts.get(heading) ?? 0) + 1;
    counts.set(heading, n);
    const id = `${readme}#${heading}/${n}`;
    const body = [];
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) body.push(lines[end++]);
    const preamble = findPreamble(lines, i);
    if (fence[2]) {
      console.log(`${id}\tskip`);
    } else {
      const file = `${readme === "README.md" ? "root" : readme.split("/")[1]}-${heading}-${n}.ts`;
      const header = `// ${id} (${readme}:${i + 1})\n`;
      writeFileSync(join(outDir, file), `${header}${preamble}${body.join("\n")}\nexport {};\n`);
      console.log(`${id}\t${file}`);
    }
    i = end;
  }
}

// The text of a `<!-- ts-preamble: ... -->` comment ending on the line before the fence.
function findPreamble(lines, fenceIndex) {
  const before = lines[fenceIndex - 1] ?? "";
  if (!before.trimEnd().endsWith("-->")) return "";
  let start = fenceIndex - 1;
  while (start > 0 && !lines[start].includes("<!--")) start--;
  const text = lines.slice(start, fenceIndex).join("\n");
  const match = /<!--\s*ts-preamble:([\s\S]*?)-->/.exec(text);
  return match ? `${match[1].trim()}\n` : "";
}
