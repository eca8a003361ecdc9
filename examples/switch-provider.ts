/**
 * Switch providers by changing one line: the tools, the loop and the code around them stay the
 * same. Offline by default (each provider's SDK talks to a loopback scripted model); with the
 * provider's API key set, the real API.
 *   pnpm --filter @toolbatch/examples exec tsx switch-provider.ts [openai|responses|anthropic|gemini]
 */
import { lookupCity } from "./demo/lookup-tools.js";
import { providers, startScriptedServer } from "./demo/providers.js";

// ↓ the one line: "OpenAI Chat Completions", "OpenAI Responses", "Anthropic Messages", "Gemini (@google/genai)"
const chosen = process.argv[2] ?? "Anthropic Messages";

const provider = providers.find(
  (candidate) => candidate.name === chosen || candidate.name.toLowerCase().includes(chosen),
);
if (!provider)
  throw new Error(
    `No provider "${chosen}"; choose one of: ${providers.map((p) => p.name).join(", ")}`,
  );

const apiKey = process.env[provider.apiKeyVariable];
const server = apiKey ? undefined : await startScriptedServer(provider.vendor);
const result = await provider.run({
  tools: [lookupCity],
  parallel: true,
  baseURL: server?.url,
  apiKey: apiKey || "offline",
  onEvent: () => {},
});
console.log(`${provider.name}: ${result.stopReason} after ${result.steps.length} turns`);
console.log(
  `calls: ${result.steps[0]?.batch.calls.map((call) => `${call.name}(${JSON.stringify(call.input)})`).join(", ")}`,
);
await server?.close();
