import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const examples = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

/** Runs an example as a user would: its own process, piped (not a TTY), offline (no API keys). */
async function runExample(file: string): Promise<string> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "" };
  for (const key of [
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "OLLAMA_BASE_URL",
  ])
    delete env[key];
  const { stdout } = await run(process.execPath, ["--import", "tsx", file], { cwd: examples, env });
  expect(stdout).not.toContain("\x1b[");
  return stdout;
}

const ANSWER = /answer: .*Paris.*Tokyo.*Lima.*Oslo/;

describe("examples run offline", () => {
  it("quickstart answers every call in order and serializes writes to one note", async () => {
    const out = await runExample("quickstart.ts");
    expect(out).toContain("parallel: true");
    expect(out).toContain("parallel: false");
    const resultLines = out.split("\n").filter((line) => /^ {2}call_\d/.test(line));
    expect(resultLines.map((line) => line.trim().split(/\s+/)[0])).toStrictEqual(
      Array.from({ length: 8 }, (_, i) => `call_${i}`),
    );
    expect(out).toContain('note "trip": ["pack umbrella","book hotel"]');
    expect(out).toMatch(/call_6 +error Error \(invalid_input\)/);
    expect(out).toContain(
      'There is no tool named "book_flight". Available tools: get_weather, append_note.',
    );
  });

  it("openai-chat runs the loop to an answer", async () => {
    const out = await runExample("openai-chat.ts");
    expect(out).toContain("stop reason: done, turns: 2");
    expect(out).toContain(
      'calls in turn 1: {"city":"Paris"}, {"city":"Tokyo"}, {"city":"Lima"}, {"city":"Oslo"}',
    );
    expect(out).toMatch(ANSWER);
  });

  it("openai-responses streams and echoes every item", async () => {
    const out = await runExample("openai-responses.ts");
    expect(out).toContain("streamed: true");
    expect(out).toContain(
      "history: user, function_call, function_call, function_call, function_call, function_call_output",
    );
    expect(out).toMatch(ANSWER);
  });

  it("openai-compatible-ollama papers over Ollama's quirks with warnings", async () => {
    const out = await runExample("openai-compatible-ollama.ts");
    expect(out).toContain("warnings papered over: arguments-object, id-synthesized");
    expect(out).toMatch(
      /synthesized ids: [A-Za-z0-9]{9}, [A-Za-z0-9]{9}, [A-Za-z0-9]{9}, [A-Za-z0-9]{9}\n/,
    );
    expect(out).toContain("stop reason: done");
  });

  it("anthropic streams and answers every call in one user message of tool_results", async () => {
    const out = await runExample("anthropic.ts");
    expect(out).toContain("stop reason: done, turns: 2, streamed: true");
    expect(out).toContain(
      "results carried by one user message: tool_result, tool_result, tool_result, tool_result",
    );
    expect(out).toMatch(ANSWER);
  });

  it("gemini via @google/genai synthesizes ids it never sends back", async () => {
    const out = await runExample("gemini.ts");
    expect(out).toContain("stop reason: done, turns: 2, streamed: true");
    expect(out).toContain("ids synthesized (never sent back): yes");
    expect(out).toMatch(ANSWER);
  });

  it("gemini via the legacy SDK answers in role function", async () => {
    const out = await runExample("gemini-legacy.ts");
    expect(out).toContain("roles: user, model, function, model");
    expect(out).toMatch(ANSWER);
  });

  it("approve-in-process runs three lookups while a payment waits, then answers all four in one follow-up", async () => {
    const out = await runExample("approve-in-process.ts");
    // Piped, the rule decides: 250 EUR is over the unattended limit.
    expect(out).toMatch(/approval-requested +send_payment\(\{"to":"Lima hotel","amount":250\}\)\n/);
    expect(out).toMatch(
      /approval-decided +send_payment\(.*\) denied: over the 200 EUR limit for unattended payments\n/,
    );
    expect(out).not.toMatch(/call-start +send_payment/);
    expect(out.match(/call-end +lookup_city\(.*\) ok\n/g)).toHaveLength(3);
    expect(out).toContain(
      "results of turn 1, in call order: lookup_city ok, send_payment denied, lookup_city ok, lookup_city ok",
    );
    const denied =
      'Tool "send_payment" was not run: running this call was denied. The reason given: "over the 200 EUR limit for unattended payments". Do not call it again unless the user asks you to.';
    expect(out).toContain(`the model reads: ${denied}`);
    expect(out).toContain("stop reason: done, turns: 2");
    // The model got all four results in the one follow-up, the denied one as the text above.
    expect(out).toMatch(/answer: .*"Paris".*Error \(denied\): .*"Tokyo".*"Oslo"/);
    expect(out).toContain(`Error (denied): ${denied}`);
  });

  it("suspend-and-resume suspends in one process and resumes in another, each call once", async () => {
    const out = await runExample("suspend-and-resume.ts");
    const pids = [...out.matchAll(/^\[(start|resume) (\d+)\]/gm)].map((match) => match[2]);
    // Each phase printed from a process of its own.
    expect(new Set(pids).size).toBe(2);
    expect(out).toMatch(/\] stop reason: awaiting-approval\n/);
    expect(out).toMatch(/\] ran: lookup_city ×3\n/);
    expect(out).toMatch(/\] waits: send_payment\(\{"to":"Lima hotel","amount":250\}\) /);
    expect(out).toMatch(/\] pending: 1, checkpoint saved\n/);
    expect(out).toMatch(/\] decision: approve\n/);
    expect(out).toMatch(
      /\] results of the suspended turn: lookup_city ok, send_payment ok, lookup_city ok, lookup_city ok\n/,
    );
    // One follow-up with all four results; no lookup ran again, the payment ran once.
    expect(out).toMatch(/\] requests to the model: 1\n/);
    expect(out).toMatch(/\] ran, both processes: lookup_city ×3, send_payment ×1\n/);
    expect(out).toMatch(/\] stop reason: done\n/);
    expect(out).toMatch(
      /answer: \(offline model\) 4 results: .*"Paris".*"paid":250.*"Tokyo".*"Oslo"/,
    );
  });

  it("suspend-and-resume, started and resumed by hand with a denial, never runs the payment", async () => {
    const dir = await mkdtemp(join(tmpdir(), "toolbatch-suspend-test-"));
    try {
      const started = await run(
        process.execPath,
        ["--import", "tsx", "suspend-and-resume.ts", "start", dir],
        { cwd: examples },
      );
      expect(started.stdout).toMatch(/\] pending: 1, checkpoint saved\n/);
      const { stdout } = await run(
        process.execPath,
        ["--import", "tsx", "suspend-and-resume.ts", "resume", dir, "deny"],
        { cwd: examples },
      );
      expect(stdout).toMatch(
        /\] results of the suspended turn: lookup_city ok, send_payment denied, lookup_city ok, lookup_city ok\n/,
      );
      expect(stdout).toMatch(/\] requests to the model: 1\n/);
      expect(stdout).toMatch(/\] ran, both processes: lookup_city ×3\n/);
      expect(stdout).toMatch(
        /answer: \(offline model\) 4 results: .*"Paris".*Error \(denied\): .*no budget.*"Tokyo".*"Oslo"/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("switch-provider runs the same tools through every provider by changing one value", async () => {
    for (const provider of ["openai", "responses", "anthropic", "gemini"]) {
      const { stdout } = await run(
        process.execPath,
        ["--import", "tsx", "switch-provider.ts", provider],
        {
          cwd: examples,
          env: { ...process.env, OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "", GEMINI_API_KEY: "" },
        },
      );
      expect(stdout).toMatch(/: done after 2 turns\n/);
      expect(stdout).toContain('lookup_city({"city":"Paris"}), lookup_city({"city":"Tokyo"})');
    }
  });

  it("continue-on-another-vendor carries one conversation from OpenAI to Anthropic to Gemini", async () => {
    const out = await runExample("continue-on-another-vendor.ts");
    expect(out).toContain("OpenAI Chat: done after 2 turns");
    expect(out).toContain("Anthropic: done after 2 turns");
    expect(out).toContain("Gemini: done after 2 turns");
    // Gemini gets Google's placeholder signature for calls it did not make.
    expect(out).toMatch(/anthropic → gemini: .*warnings: .*signature-placeholder/);
    expect(out).toContain("batches across the three vendors: 2, 1, 1 call(s)");
    // The system prompt, outside Anthropic's and Gemini's histories, crossed with them.
    expect(out).toContain('system prompt at the end: "Answer in one sentence."');
    // Every lookup of every vendor reached the last model, as the objects the tools returned.
    expect(out).toMatch(
      /answer: .*4 cities known: .*"country":"France".*"country":"Japan".*"country":"Peru".*"country":"Norway"/,
    );
    expect(out).not.toContain('\\"country');
  });

  it("the demo draws both timelines and the approvals scene for every provider, piped without escape codes", async () => {
    const out = await runExample("demo/demo.ts");
    expect(out).toContain("parallel: true");
    expect(out).toContain("parallel: false");
    expect(out).toContain("follow-up sent after turn 1: assistant[tool_call×4] → tool×4");
    expect(out).toContain("follow-up sent after turn 1: function_call×4 → function_call_output×4");
    expect(out).toContain(
      "follow-up sent after turn 1: assistant[tool_use×4] → user[tool_result×4]",
    );
    expect(out).toContain("follow-up sent after turn 1: assistant[tool_call] → tool");
    expect(out).toContain(
      "follow-up sent after turn 1: model[functionCall×4] → user[functionResponse×4]",
    );
    expect(out).toContain(
      "follow-up sent after turn 1: model[functionCall×4] → function[functionResponse×4]",
    );
    expect(out).toMatch(/Wall times\n/);
    // The approvals scene, once per provider: the lookups ran while the payment waited, the loop
    // suspended to a checkpoint file, and a fresh loop resumed it; each call ran once.
    const scenes = out.split("approvals: suspend, checkpoint, resume").slice(1);
    expect(scenes).toHaveLength(5);
    for (const scene of scenes) {
      expect(scene).toMatch(/send_payment\(Lima hotel\) +·+ ?\| *✓ *█+\n/);
      expect(scene).toMatch(
        /suspended \(awaiting-approval\), waiting on send_payment\(Lima hotel\); ran meanwhile: lookup_city\(Paris\), lookup_city\(Tokyo\), lookup_city\(Oslo\)\n/,
      );
      expect(scene).toMatch(/checkpoint written: .*loop-checkpoint\.json \(\d+ bytes/);
      expect(scene).toMatch(/a fresh loop read it back and resumed: approve \S+ \(digest /);
      expect(scene).toContain("ran after the decision: send_payment(Lima hotel)\n");
      expect(scene).toMatch(
        /one follow-up with 4 results: .*×4\]?, requests to the model after the decision: 1\n/,
      );
      expect(scene).toContain(
        "tool runs, both loops: lookup_city(Paris) ×1, lookup_city(Tokyo) ×1, lookup_city(Oslo) ×1, send_payment(Lima hotel) ×1; stop reason: done",
      );
    }
    expect(out).toContain(
      "one follow-up with 4 results: assistant[tool_use×4] → user[tool_result×4]",
    );
    expect(out).toContain(
      "one follow-up with 4 results: model[functionCall×4] → function[functionResponse×4]",
    );
  });
});
