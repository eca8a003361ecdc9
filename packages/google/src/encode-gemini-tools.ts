import type { Tool } from "@google/genai";
import type { FunctionDeclarationsTool } from "@google/generative-ai";
import { type AnyTool, createToolSet } from "@toolbatch/core";
import {
  convertJsonSchemaToOpenApi,
  type DeclarationWarning,
} from "./convert-json-schema-to-openapi.js";

/**
 * `@google/genai` declarations: one `Tool` holding every `functionDeclaration`, the input schema
 * sent as `parametersJsonSchema` (JSON Schema, taken by Gemini 2.5+ on both APIs) unchanged.
 * No tools, no `Tool`: an empty `functionDeclarations` list is not a declaration.
 */
export function encodeGoogleGenAITools(tools: readonly AnyTool[]): Tool[] {
  const list = createToolSet(tools).tools;
  if (list.length === 0) return [];
  return [
    {
      functionDeclarations: list.map((tool) => ({
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        parametersJsonSchema: tool.inputSchema,
      })),
    },
  ];
}

/**
 * Legacy `@google/generative-ai` declarations: `parameters` in its OpenAPI subset, converted from
 * each tool's JSON Schema (the SDK has no `parametersJsonSchema`). What the subset cannot say is
 * dropped and reported through `warn`; a tool without parameters gets no `parameters`.
 */
export function encodeGoogleGenerativeAITools(
  tools: readonly AnyTool[],
  warn: (warning: DeclarationWarning) => void,
): FunctionDeclarationsTool[] {
  const list = createToolSet(tools).tools;
  if (list.length === 0) return [];
  return [
    {
      functionDeclarations: list.map((tool) => {
        const parameters = convertJsonSchemaToOpenApi(tool.inputSchema, tool.name, warn);
        return {
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          ...(parameters ? { parameters } : {}),
        };
      }),
    },
  ];
}

/**
 * A request's tools with these declarations added: into the request's own `functionDeclarations`
 * tool when it has one (Vertex refuses several tools "unless they are all search tools"), else as
 * a tool of their own. Other tools (search, code execution, MCP) stay as they are.
 */
export function mergeFunctionDeclarations<Entry extends object>(
  existing: readonly Entry[] | undefined,
  added: readonly Entry[],
): Entry[] {
  const list = [...(existing ?? [])];
  const host = list.findIndex((entry) => declarationsOf(entry) !== undefined);
  if (host === -1) return [...list, ...added];
  list[host] = {
    ...list[host],
    functionDeclarations: [
      ...(declarationsOf(list[host] as Entry) ?? []),
      ...added.flatMap((entry) => declarationsOf(entry) ?? []),
    ],
  } as Entry;
  return list;
}

function declarationsOf(entry: object): unknown[] | undefined {
  const declarations = (entry as { functionDeclarations?: unknown }).functionDeclarations;
  return Array.isArray(declarations) ? declarations : undefined;
}
