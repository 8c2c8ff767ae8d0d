// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {TestBase} from "../utils/Vm.sol";

/// @notice The Solidity tests run on whatever hardfork `hardhat test solidity` picks (Hardhat's default
/// without --network). The compiler targets osaka (hardhat.config.ts, EVM_TARGET), whose P-256
/// precompile (EIP-7951) household accounts verify with; this fails if the two drift apart, e.g. a
/// Hardhat upgrade whose default no longer matches. test/account/EvmTarget.ts checks the TS side.
contract EvmTargetTest is TestBase {
    address private constant P256_VERIFY = address(0x100);
    bytes32 private constant HASH = 0xa761970d77b56879c51be160836ddc6b8b9776247962d2f57f7dbb6b6370afd9;
    bytes32 private constant R = 0x303a81995b516386381f2255d8b8760b6d7edb91ca1a69cd9ef3d5fa85fd08a1;
    bytes32 private constant S = 0x7db3a76435d642e99d8424680042cc7a74002f1f5eca446e159d0de2aa426565;
    bytes32 private constant QX = 0xea5caf82b7003e3aeeba9f96bba15a7ba47e5bfdd73d8bbddf3a6cb734f46917;
    bytes32 private constant QY = 0xd75f41f3ad6739af0f30e66145686da8533b25136b7bf30c92108cf1dcbcb5eb;

    function test_theP256PrecompileVerifiesAValidSignature() public view {
        (bool ok, bytes memory out) = P256_VERIFY.staticcall(abi.encodePacked(HASH, R, S, QX, QY));
        assertTrue(ok, "the precompile call failed");
        assertEq(out.length, 32, "no answer from 0x100: the Solidity tests do not run on the osaka target");
        assertEq(uint256(bytes32(out)), 1, "the precompile refused a valid signature");
    }

    function test_theP256PrecompileAnswersNothingForAForgery() public view {
        (bool ok, bytes memory out) = P256_VERIFY.staticcall(abi.encodePacked(HASH, S, R, QX, QY));
        assertTrue(ok, "the precompile call failed");
        assertEq(out.length, 0, "a forged signature was not refused");
    }
}
