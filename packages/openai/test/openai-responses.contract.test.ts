import { describeAdapterContract, openaiResponsesWire } from "@toolbatch/contract";
import { openaiResponses } from "../src/index.js";

describeAdapterContract({ adapter: () => openaiResponses(), wire: openaiResponsesWire });
