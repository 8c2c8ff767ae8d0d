/**
 * Condition ids: keccak256 of a condition's name (what AidRegistry stores). The names themselves are
 * the catalogue of ./catalogue.ts, re-exported here.
 */
import { keccak256, toBytes, type Hex } from "viem";

export * from "./catalogue.ts";

/** The condition id of a name, in or outside the catalogue (same as ethers' id()). */
export const conditionId = (name: string): Hex => keccak256(toBytes(name));
