/**
 * A call's input as the JSON string both OpenAI APIs carry in `arguments`. `undefined`, which JSON
 * cannot hold, becomes `{}`, what a call without arguments reads as.
 */
export function renderArguments(input: unknown): string {
  return JSON.stringify(input) ?? "{}";
}
