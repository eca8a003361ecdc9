/**
 * `@toolbatch/google`: every export of `@toolbatch/google/genai` and
 * `@toolbatch/google/generative-ai` in one entry. Its type declarations import both SDKs' types,
 * and both SDKs are optional peers: with one SDK installed, import that SDK's entry, or compile
 * with `skipLibCheck` (otherwise TypeScript reports TS2307 for the other SDK).
 *
 * @module
 */
export * from "./genai.js";
export * from "./generative-ai.js";
