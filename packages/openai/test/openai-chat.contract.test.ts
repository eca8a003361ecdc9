import { describeAdapterContract, openaiChatWire } from "@toolbatch/contract";
import { openaiChat } from "../src/index.js";

describeAdapterContract({ adapter: () => openaiChat(), wire: openaiChatWire });
