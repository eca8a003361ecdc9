import { anthropicWire, describeTranscriptContract } from "@toolbatch/contract";
import { ANTHROPIC_CALL_IDS } from "@toolbatch/core";
import { anthropicTranscript } from "../src/index.js";
import { renderedProblems } from "./transcript-support.js";

describeTranscriptContract({
  codec: () => anthropicTranscript(),
  wire: anthropicWire,
  callIds: ANTHROPIC_CALL_IDS,
  systemFields: (system) => ({ system }),
  // Empty content and blank text: the API rejects them, the published schema does not.
  problems: (rendered) => renderedProblems({ ...rendered, system: undefined }),
});
