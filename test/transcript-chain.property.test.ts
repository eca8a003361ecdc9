import {
  callsOf,
  renderAndReadBack,
  transcriptArbitrary,
  transcriptFacts,
} from "@toolbatch/contract";
import type { Transcript } from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VENDOR_PROFILES, type VendorProfile } from "./support/vendor-profiles.js";

const transcript = transcriptArbitrary();
const vendorName = fc.constantFrom(...VENDOR_PROFILES.map((profile) => profile.name));
const profileNamed = (name: string) =>
  VENDOR_PROFILES.find((profile) => profile.name === name) as VendorProfile;

/** Renders with a vendor and reads back what it rendered, the system instructions re-attached. */
function hop(value: Transcript, profile: VendorProfile): Transcript {
  const { back } = renderAndReadBack(profile.codec, value);
  for (const call of callsOf(back)) {
    if (!call.idSynthesized) expect(profile.callIds.accepts(call.id)).toBe(true);
  }
  return back;
}

describe("a conversation survives any chain of vendors", () => {
  it("keeps texts, calls, inputs, results and error flags through 1 to 4 vendors", () => {
    fc.assert(
      fc.property(
        transcript,
        fc.array(vendorName, { minLength: 1, maxLength: 4 }),
        (start, chain) => {
          const end = chain.map(profileNamed).reduce(hop, start);
          expect(transcriptFacts(end)).toStrictEqual(transcriptFacts(start));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("renders the same transcript to the same history every time, for every vendor", () => {
    fc.assert(
      fc.property(transcript, vendorName, (value, name) => {
        const profile = profileNamed(name);
        expect(profile.codec.render(value)).toStrictEqual(
          profile.codec.render(structuredClone(value)),
        );
      }),
    );
  });
});
