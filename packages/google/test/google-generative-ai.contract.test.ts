import { describeAdapterContract, geminiLegacyWire } from "@toolbatch/contract";
import { googleGenerativeAI } from "../src/index.js";

describeAdapterContract({
  adapter: () => googleGenerativeAI({ onWarning: () => {} }),
  wire: geminiLegacyWire,
});
