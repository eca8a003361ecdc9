import type { Content as GenAIContent } from "@google/genai";
import type {
  Content,
  GenerateContentRequest,
  GenerateContentResponse,
} from "@google/generative-ai";
import { type GeminiRequest, geminiWire } from "./gemini-wire.js";
import type { WireProfile } from "./wire-profile.js";

/**
 * The Gemini wire typed with the deprecated `@google/generative-ai` SDK: for `googleGenerativeAI()`.
 * The JSON is the Gemini wire's, with the legacy SDK's two differences read as equal:
 * - results come in a content of role `function` (its ChatSession refuses them in `user`), where
 *   the recordings, made with other clients, have `user`;
 * - declared schema types are the SDK's `SchemaType` values, JSON Schema's lowercase names
 *   (`"object"`), where the published spec lists the REST enum names (`"OBJECT"`); requests are
 *   validated with the names upper-cased.
 */
export const geminiLegacyWire: WireProfile<
  GenerateContentResponse,
  GenerateContentResponse,
  GenerateContentRequest,
  Content
> = {
  ...(geminiWire as unknown as WireProfile<
    GenerateContentResponse,
    GenerateContentResponse,
    GenerateContentRequest,
    Content
  >),
  comparable: (followUp) =>
    geminiWire.comparable(
      followUp.map((content) => ({
        ...(content as GenAIContent),
        role: content.role === "function" ? "user" : content.role,
      })),
    ),
  validateRequest: (request) =>
    geminiWire.validateRequest({
      ...(request as unknown as GeminiRequest),
      ...(request.tools ? { tools: upperCaseTypes(request.tools) as GeminiRequest["tools"] } : {}),
    }),
};

/** A copy of a declaration tree with every schema `type` value upper-cased. */
function upperCaseTypes(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(upperCaseTypes);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === "type" && typeof value === "string" ? value.toUpperCase() : upperCaseTypes(value),
    ]),
  );
}
