import { type AnyTool, createToolSet } from "@toolbatch/core";
import { TooManyToolsError } from "./errors/too-many-tools-error.js";

// "Invalid 'tools': array too long. Expected an array with maximum length 128" (many reports).
const OPENAI_MAX_TOOLS = 128;

/** The tools of one request, checked for unique names and OpenAI's count limit before encoding. */
export function checkToolList(tools: readonly AnyTool[]): readonly AnyTool[] {
  const list = createToolSet(tools).tools;
  if (list.length > OPENAI_MAX_TOOLS) throw new TooManyToolsError(list.length, OPENAI_MAX_TOOLS);
  return list;
}
