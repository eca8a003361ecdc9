import { anthropicWire, describeAdapterContract } from "@toolbatch/contract";
import { anthropic } from "../src/index.js";

describeAdapterContract({ adapter: () => anthropic(), wire: anthropicWire });
