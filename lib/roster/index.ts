/** The roster library: CSV -> validated rows -> StandardMerkleTree-compatible tree -> binary files. */
export { keccak256Hasher, type Keccak256 } from "./keccak.ts";
export { RosterParser, formatRosterError, type RosterError, type RosterRows, type RosterParseResult } from "./input.ts";
export { RosterTree, buildRosterTree, verifyRosterTree, verifyProof, treeDepth, LEAF_ENCODING, type RosterValue } from "./tree.ts";
export { encodeTreeFile, decodeTreeFile, encodeProofsFile, encodeOpenZeppelinDump, ProofsFile, fetchProofRecord, treeFileSize, type ProofRecord, type RangeReader } from "./files.ts";
export { toHex, fromHex } from "./bytes.ts";
