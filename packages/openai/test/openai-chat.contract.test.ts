import {
  describeAdapterContract,
  loadRecordings,
  openaiChatWire,
  type Recording,
} from "@toolbatch/contract";
import { openaiChat } from "../src/index.js";

/**
 * Turns of OpenAI-compatible servers that put more than text and calls on the message, which they
 * want back on the assistant message (400 without it). Hand-written after the servers' shapes:
 * DeepSeek's `reasoning_content`, OpenRouter's `reasoning` and `reasoning_details` (as in
 * charmbracelet/fantasy's TestOpenRouterCommon/gpt-5/multi_tool_streaming.yaml).
 */
const compatibleTurns: Recording[] = [
  {
    reasoning_content: "The user wants the sum and the product; I call both at once.",
  },
  {
    reasoning: "**Calling both tools**",
    reasoning_details: [
      {
        type: "reasoning.summary",
        summary: "**Calling both tools**",
        format: "openai-responses-v1",
        index: 0,
      },
      {
        type: "reasoning.encrypted",
        data: "gAAAAABo1rJ0",
        id: "rs_0a1b",
        format: "openai-responses-v1",
        index: 1,
      },
    ],
  },
].map((fields, n) => ({
  key: `compatible-${n + 1}`,
  vendor: "openai-chat",
  kind: "json",
  note: "HAND-WRITTEN: an OpenAI-compatible server's message fields beside two calls",
  source: {
    repo: "toolbatch/toolbatch",
    path: "packages/openai/test/openai-chat.contract.test.ts",
    commit: "",
    license: "MIT",
  },
  response: {
    id: `gen-${n + 1}`,
    object: "chat.completion",
    created: 0,
    model: "compatible",
    choices: [
      {
        index: 0,
        finish_reason: "tool_calls",
        logprobs: null,
        message: {
          role: "assistant",
          content: "",
          refusal: null,
          ...fields,
          tool_calls: [
            {
              id: "call_a",
              type: "function",
              function: { name: "add", arguments: '{"a":2,"b":3}' },
            },
            {
              id: "call_m",
              type: "function",
              function: { name: "multiply", arguments: '{"a":2,"b":3}' },
            },
          ],
        },
      },
    ],
  },
  expected: {
    complete: true,
    calls: [
      { id: "call_a", name: "add", input: { a: 2, b: 3 } },
      { id: "call_m", name: "multiply", input: { a: 2, b: 3 } },
    ],
  },
}));

describeAdapterContract({
  adapter: () => openaiChat(),
  wire: openaiChatWire,
  recordings: [...loadRecordings("openai-chat"), ...compatibleTurns],
});
