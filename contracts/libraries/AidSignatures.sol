// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IAidRegistry} from "../interfaces/IAidRegistry.sol";
import {IAidSharedErrors} from "../interfaces/IAidSharedErrors.sol";

/// @title AidSignatures: the one signature check of both systems
/// @notice Households' signed claims and officials' k-of-n approvals (roster roots, roster leaf changes,
/// escrow exits) are all checked here: ECDSA first, then ERC-1271 (a Safe, a passkey account).
/// @dev Internal functions, one source for every contract that checks signatures.
library AidSignatures {
    /// @dev Refuses a signature whose deadline has passed (the half-open rule of every window).
    function requireLive(uint256 deadline) internal view {
        if (block.timestamp >= deadline) revert IAidSharedErrors.AidSignaturesExpired(deadline);
    }

    /// @dev ECDSA first, then ERC-1271 through OpenZeppelin's SignatureChecker. The order differs from
    /// SignatureChecker.isValidSignatureNowCalldata, which reads the signer's code size first: a cold account
    /// access (2,600 gas) for every plain EOA. A signature that recovers to the signer's own address can
    /// only come from the holder of its key, so accepting it first is as strict; everything else gets the
    /// ERC-1271 check.
    function isValidNow(address signer, bytes32 digest, bytes calldata signature) internal view returns (bool) {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == signer) return true;
        return SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, signature);
    }

    /// @dev Refuses unless `signature` is `signer`'s over `digest`.
    function requireValid(address signer, bytes32 digest, bytes calldata signature) internal view {
        if (!isValidNow(signer, digest, signature)) revert IAidSharedErrors.AidSignaturesInvalid(signer);
    }

    /// @dev Refuses unless exactly `k` distinct current officials signed `digest`. Strictly ascending signers
    /// prove distinctness in one pass; each must be an official now (a removed official's signature no
    /// longer counts). Bounded by k, which the caller bounds.
    function requireOfficials(
        IAidRegistry registry,
        bytes32 digest,
        uint256 k,
        address[] calldata officials,
        bytes[] calldata signatures
    ) internal view {
        if (officials.length != k || signatures.length != k) {
            revert IAidSharedErrors.AidSignaturesWrongCount(k, officials.length, signatures.length);
        }
        address previous;
        for (uint256 i; i < k; ++i) {
            address signer = officials[i];
            if (signer <= previous) revert IAidSharedErrors.AidSignaturesNotAscending(i, signer);
            previous = signer;
            if (!registry.isOfficial(signer)) revert IAidSharedErrors.AidSignaturesNotOfficial(signer);
            requireValid(signer, digest, signatures[i]);
        }
    }
}
