// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title The refusals of the shell escrow projects and roster programmes share
/// @notice Raised by contracts/libraries/ (AidMoney, AidSignatures, AidCancellation) on behalf of the escrow and
/// every roster programme, so a client decodes them the same way for both. Declared here, once, so they are part
/// of each contract's ABI even when a linked library raises them.
interface IAidSharedErrors {
    // ---------------------------------------------------------------- money (AidMoney)

    /// @notice The token delivered `received` instead of `expected` (fee-on-transfer and "max means balance"
    /// tokens are refused).
    error AidMoneyTransferShortfall(address token, uint256 expected, uint256 received);
    /// @notice After a failed permit, the ERC-20 allowance is `allowance`, below the `needed` amount.
    error AidMoneyInsufficientAllowance(address token, uint256 allowance, uint256 needed);

    // ---------------------------------------------------------------- signatures (AidSignatures)

    /// @notice The signature's deadline has passed (valid while block.timestamp < deadline).
    error AidSignaturesExpired(uint256 deadline);
    /// @notice The signature is not `signer`'s (neither ECDSA nor ERC-1271 accepts it).
    error AidSignaturesInvalid(address signer);
    /// @notice Exactly `expected` (the threshold k) signers and as many signatures are needed.
    error AidSignaturesWrongCount(uint256 expected, uint256 signers, uint256 signatures);
    /// @notice Signers must be strictly ascending, which proves they are distinct.
    error AidSignaturesNotAscending(uint256 position, address signer);
    /// @notice `signer` is not a current official.
    error AidSignaturesNotOfficial(address signer);

    // ---------------------------------------------------------------- two-person cancellation (AidCancellation)

    /// @notice `approver` already gave the half in force, which expires at `expiresAt`.
    error AidCancellationAlreadyApproved(address approver, uint40 expiresAt);
    /// @notice `approver` already gave this half (`asReviewer`): the other half must come from the other role.
    error AidCancellationHalfTaken(address approver, bool asReviewer);
    /// @notice `caller` has no half-approval in force to withdraw.
    error AidCancellationNotApproved(address caller);
}
