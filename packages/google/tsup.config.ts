import { packageBuild } from "../../tsup.package.js";

// Three entries in ONE build: `.` (everything) and one entry per SDK, `./genai` and
// `./generative-ai`, whose declarations import only their own SDK (both SDKs are optional peers,
// and a .d.ts that imports a missing one fails with TS2307 without skipLibCheck). One build, so
// one `clean`: two builds in parallel delete each other's output (packages/contract's tsup.config.ts).
// The declarations they share (options, CandidateNotFoundError) go in one chunk that imports no
// SDK. `splitting: false` keeps each JavaScript file whole, so dist/index.js is what it was with
// one entry (the size-limit checks bundle it).
export default packageBuild({
  entry: { index: "src/index.ts", genai: "src/genai.ts", "generative-ai": "src/generative-ai.ts" },
  splitting: false,
});
