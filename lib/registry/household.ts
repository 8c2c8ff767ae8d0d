/**
 * A household's identity commitment: the only thing about a household that goes on chain. Officials
 * compute it from the household's ID number and a salt kept with the household's records, so the chain
 * never sees personal data and nobody can test an ID number against it without the salt.
 *
 *   commitment = keccak256(abi.encodePacked(string idNumber, bytes32 keccak256(salt)))
 *
 * The demo seed and the tests compute commitments with this recipe.
 */
import { encodePacked, keccak256, toBytes, type Hex } from "viem";

export function householdCommitment(idNumber: string, salt: string): Hex {
  return keccak256(encodePacked(["string", "bytes32"], [idNumber, keccak256(toBytes(salt))]));
}
