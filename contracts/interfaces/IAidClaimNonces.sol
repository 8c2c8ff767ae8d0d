// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Signed-claim nonces, shared by escrow projects and roster programmes
/// @notice A household's signed claim carries its account's current claim nonce. Replay is already
/// impossible without it (a signed claim names one tranche, which is paid once); the nonce lets an account
/// void every signed claim it handed out, e.g. to a relayer it no longer trusts, by moving it on. It is read,
/// never written, by a claim, so a relayed claim pays no nonce write. See docs/DECISIONS.md, "Nonces".
interface IAidClaimNonces {
    /// @notice `account` voided every outstanding signed claim of theirs; `newNonce` is now expected.
    event ClaimNonceInvalidated(address indexed account, uint256 newNonce);

    /// @notice The signed claim carries nonce `signed` but `account`'s current nonce is `expected`.
    error AidClaimNonceMismatch(address account, uint256 expected, uint256 signed);

    /// @notice Voids every outstanding signed claim of the caller by moving their claim nonce on.
    function invalidateClaimSignatures() external;

    /// @notice The nonce `account`'s next signed claims must carry.
    function claimNonce(address account) external view returns (uint256);
}
