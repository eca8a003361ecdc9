import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ApprovalMismatchError,
  type ApprovalRequest,
  approvalDigest,
  canonicalJson,
  createApprovalRequest,
  createApprovalSigner,
  createApprovalVerifier,
  InvalidOptionError,
} from "../src/index.js";

// Issue 16 part A: approval requests and decisions bound to what they approve (tool name, call id,
// a digest of the input), refused with a typed error when they are for another call, another
// input, replayed or forged.

const call = { id: "call_1", name: "send_email", input: { to: "a@example.com", body: "hi" } };
const SECRET = "a secret of at least thirty-two bytes!";

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(ApprovalMismatchError.isInstance(error)).toBe(true);
  expect((error as Error).message).toMatch(
    /^\[toolbatch\/core\] Approval for call "call_1" refused/,
  );
  return (error as ApprovalMismatchError).reason;
}

describe("canonicalJson", () => {
  it("writes one text for equal data: keys sorted, no whitespace, numbers as JSON writes them", () => {
    expect(canonicalJson({ b: [1, { d: null, c: "x" }], a: true, é: -0, A: 1e21 })).toBe(
      '{"A":1e+21,"a":true,"b":[1,{"c":"x","d":null}],"é":0}',
    );
    expect(canonicalJson(Object.assign(Object.create(null), { z: 1, y: 2 }))).toBe('{"y":2,"z":1}');
    // A `__proto__` key is data, not the prototype.
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1}}'))).toBe('{"__proto__":{"x":1}}');
  });

  it("refuses what is not JSON data, naming where it is", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases: Array<[unknown, RegExp]> = [
      [{ a: undefined }, /Option "input\.a" must be JSON data \(no undefined\)/],
      [[1, Number.NaN], /"input\[1\]" must be JSON data \(a finite number\)/],
      [{ n: 1n }, /\(no bigint\)/],
      [{ when: new Date(0) }, /"input\.when" must be JSON data \(a plain object\)/],
      [new Map(), /\(a plain object\)/],
      [cyclic, /"input\.self" must be JSON data \(no cycle\)/],
      [() => 1, /\(no function\)/],
    ];
    for (const [value, message] of cases) {
      expect(() => canonicalJson(value)).toThrow(InvalidOptionError);
      expect(() => canonicalJson(value)).toThrow(message);
    }
  });
});

describe("approvalDigest", () => {
  it("is SHA-256 hex of the canonical [domain, tool, call id, input], the same for reordered keys", async () => {
    const digest = await approvalDigest("send_email", "call_1", { to: "x", body: "y" });
    const expected = createHash("sha256")
      .update('["toolbatch/approval-digest/v1","send_email","call_1",{"body":"y","to":"x"}]')
      .digest("hex");
    expect(digest).toBe(expected);
    expect(await approvalDigest("send_email", "call_1", { body: "y", to: "x" })).toBe(digest);
    // Any change to tool, call or one character of the input changes it.
    for (const other of [
      approvalDigest("send_mail", "call_1", { to: "x", body: "y" }),
      approvalDigest("send_email", "call_2", { to: "x", body: "y" }),
      approvalDigest("send_email", "call_1", { to: "x", body: "z" }),
    ]) {
      expect(await other).not.toBe(digest);
    }
  });

  it("rejects an input that is not JSON data", async () => {
    await expect(approvalDigest("t", "c", { a: 1n })).rejects.toThrow(InvalidOptionError);
  });
});

describe("createApprovalVerifier", () => {
  it("accepts the decision made for a request, once", async () => {
    const request = await createApprovalRequest(call, "batch-1");
    expect(request).toStrictEqual({
      callId: "call_1",
      toolName: "send_email",
      input: call.input,
      digest: await approvalDigest("send_email", "call_1", call.input),
      batchId: "batch-1",
    });
    // Plain JSON: it survives a round trip through a checkpoint.
    const stored = JSON.parse(JSON.stringify(request)) as ApprovalRequest;
    const verifier = createApprovalVerifier();
    const decision = { callId: "call_1", digest: request.digest, approved: true };
    await expect(verifier.check(stored, decision)).resolves.toStrictEqual({ approved: true });
    expect(await refusal(verifier.check(stored, decision))).toBe("replayed");
    // Another run (another verifier) may decide it; another batch with the same call id too.
    const denial = { ...decision, approved: false, reason: "not today" };
    await expect(createApprovalVerifier().check(stored, denial)).resolves.toStrictEqual({
      approved: false,
      reason: "not today",
    });
    const otherBatch = await createApprovalRequest(call, "batch-2");
    await expect(verifier.check(otherBatch, decision)).resolves.toStrictEqual({ approved: true });
  });

  it("refuses a decision for another call, another input, a tampered request, or no decision", async () => {
    const request = await createApprovalRequest(call, "batch-1");
    const verifier = createApprovalVerifier();
    const changed = await approvalDigest("send_email", "call_1", { ...call.input, to: "evil" });
    expect(
      await refusal(
        verifier.check(request, { callId: "call_2", digest: request.digest, approved: true }),
      ),
    ).toBe("call");
    expect(
      await refusal(verifier.check(request, { callId: "call_1", digest: changed, approved: true })),
    ).toBe("digest");
    // The request's input was changed after its digest was made (a checkpoint edited on disk).
    const tampered = { ...request, input: { ...call.input, to: "evil" } };
    expect(
      await refusal(
        verifier.check(tampered, { callId: "call_1", digest: request.digest, approved: true }),
      ),
    ).toBe("digest");
    for (const garbage of [
      null,
      "yes",
      { callId: "call_1", digest: request.digest, approved: "yes" },
      { callId: "call_1", digest: request.digest, approved: false, reason: 1 },
      {
        callId: "call_1",
        digest: request.digest,
        approved: true,
        reason: "a reason with an approval",
      },
      new Proxy(
        {},
        {
          get: () => {
            throw new Error("trap");
          },
        },
      ),
    ]) {
      expect(await refusal(verifier.check(request, garbage))).toBe("malformed");
    }
    // Nothing refused was recorded: the right decision is still accepted.
    await expect(
      verifier.check(request, { callId: "call_1", digest: request.digest, approved: true }),
    ).resolves.toStrictEqual({ approved: true });
  });
});

describe("createApprovalSigner", () => {
  it("signs requests and decisions with HMAC-SHA-256 and verifies them", async () => {
    const signer = createApprovalSigner(SECRET);
    const request = await signer.signRequest(await createApprovalRequest(call, "batch-1"));
    const expected = createHmac("sha256", SECRET)
      .update(
        JSON.stringify([
          "toolbatch/approval-request/v1",
          "batch-1",
          "call_1",
          "send_email",
          request.digest,
        ]),
      )
      .digest("hex");
    expect(request.signature).toBe(expected);
    await expect(signer.verifyRequest(request)).resolves.toBeUndefined();
    const decision = await signer.signDecision(request, {
      callId: "call_1",
      digest: request.digest,
      approved: true,
    });
    await expect(signer.verifyDecision(request, decision)).resolves.toBeUndefined();
    const verifier = createApprovalVerifier({ signer });
    // The signature comes back with the verdict: a checkpoint keeps it with the approval.
    await expect(verifier.check(request, decision)).resolves.toStrictEqual({
      approved: true,
      signature: decision.signature,
    });
  });

  it("refuses forged, altered, unsigned and foreign-batch decisions with reason signature", async () => {
    const signer = createApprovalSigner(new TextEncoder().encode(SECRET));
    const request = await createApprovalRequest(call, "batch-1");
    const base = { callId: "call_1", digest: request.digest, approved: false as const };
    const signed = await signer.signDecision(request, { ...base, reason: "no" });
    const forger = createApprovalSigner("another secret, also thirty-two bytes");
    const cases = {
      unsigned: base,
      "signed by another secret": await forger.signDecision(request, base),
      "reason altered after signing": { ...signed, reason: "yes, fine" },
      "turned into an approval": { ...signed, approved: true, reason: undefined },
      "a signature that is no hex": { ...signed, signature: "zz" },
    };
    for (const [label, decision] of Object.entries(cases)) {
      const verifier = createApprovalVerifier({ signer });
      expect(await refusal(verifier.check(request, decision)), label).toBe("signature");
    }
    // Signed for batch-1, it is worth nothing for the same call and input in batch-2.
    const other = await createApprovalRequest(call, "batch-2");
    expect(await refusal(createApprovalVerifier({ signer }).check(other, signed))).toBe(
      "signature",
    );
    // A request altered after signing fails its own verification.
    const signedRequest = await signer.signRequest(request);
    expect(await refusal(signer.verifyRequest({ ...signedRequest, toolName: "delete_all" }))).toBe(
      "signature",
    );
  });

  it("refuses a secret shorter than 32 bytes", () => {
    expect(() => createApprovalSigner("short")).toThrow(InvalidOptionError);
    expect(() => createApprovalSigner(new Uint8Array(31))).toThrow(InvalidOptionError);
    expect(() => createApprovalSigner(42 as never)).toThrow(InvalidOptionError);
  });
});
