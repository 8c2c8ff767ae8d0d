/**
 * A Hardhat plugin that keeps the compiler's warnings about our dependencies' own sources (OpenZeppelin's
 * `TransientSlot.sol` "transient storage" notice, say) out of the build output: an operator running
 * `npm start` took them for an error, and nothing in this repository can change them. Warnings about our
 * own contracts, and every error wherever it is, are still printed.
 */
import { definePlugin } from "hardhat/plugins";

export default definePlugin({
  id: "precisionaid-quiet-dependency-warnings",
  hookHandlers: {
    solidity: () => import("./solidity.ts"),
  },
});
