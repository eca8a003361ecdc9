import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * What npm shows for every published package: where its source lives, where to report a bug, which
 * Node it runs on, and a README whose links work on the npm site (a relative link such as
 * `../../README.md` resolves against npmjs.com there, and 404s).
 */
const REPOSITORY = "https://github.com/toolbatch/toolbatch";
const packagesFolder = fileURLToPath(new URL("../packages/", import.meta.url));
const rootReadme = readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");

interface Manifest {
  name: string;
  private?: boolean;
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  engines?: { node?: string };
}

const published = readdirSync(packagesFolder, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => {
    const folder = `${packagesFolder}${entry.name}/`;
    const manifest = JSON.parse(readFileSync(`${folder}package.json`, "utf8")) as Manifest;
    return { folder: entry.name, manifest, readme: readFileSync(`${folder}README.md`, "utf8") };
  })
  .filter(({ manifest }) => manifest.private !== true);

/** Every Markdown link target (`[text](target)`) in a text. */
const linkTargets = (markdown: string): string[] =>
  [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1] ?? "");

describe("published package metadata", () => {
  it("finds the packages", () => {
    expect(published.map(({ manifest }) => manifest.name)).toEqual(
      expect.arrayContaining(["@toolbatch/core", "@toolbatch/openai", "@toolbatch/anthropic"]),
    );
  });

  describe.each(published)("$manifest.name", ({ folder, manifest, readme }) => {
    it("names its repository folder, homepage and issue tracker", () => {
      expect(manifest.repository).toEqual({
        type: "git",
        url: `git+${REPOSITORY}.git`,
        directory: `packages/${folder}`,
      });
      expect(manifest.homepage).toBe(`${REPOSITORY}/tree/main/packages/${folder}#readme`);
      expect(manifest.bugs).toEqual({ url: `${REPOSITORY}/issues` });
    });

    it("declares its Node floor, and the repository README states the same floor", () => {
      const floor = manifest.engines?.node;
      expect(floor).toMatch(/^>=\d+(\.\d+)*$/);
      // The README's engines table has one row per package: | `@toolbatch/x` | `>=20` | ...
      expect(rootReadme).toContain(`| \`${manifest.name}\` | \`${floor}\` |`);
    });

    it("links only to absolute addresses or anchors in its README", () => {
      const relative = linkTargets(readme).filter((target) => !/^(https?:|mailto:|#)/.test(target));
      expect(relative).toEqual([]);
    });
  });
});
