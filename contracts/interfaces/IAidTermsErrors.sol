// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title The refusals of the one schedule rule (AidTerms), for escrow projects and roster programmes
/// @notice Raised when a manager proposes a schedule that could lock money or promise what can never be paid.
interface IAidTermsErrors {
    /// @notice Between 1 and `max` tranches are allowed.
    error AidTermsInvalidTrancheCount(uint256 count, uint256 max);
    /// @notice Unlock times must be non-zero, strictly increasing and before the claim deadline.
    error AidTermsInvalidUnlockTime(uint256 index, uint40 unlockTime);
    /// @notice The deadlines must satisfy now < fundingDeadline <= claimDeadline <= `latest` (now + MAX_DURATION,
    /// 1826 days).
    error AidTermsInvalidDeadlines(uint40 fundingDeadline, uint40 claimDeadline, uint40 latest);
    /// @notice The publicity window must last at least one second and end before the claim deadline even for a
    /// household enrolled (or a roster approved) now: it must be below `claimPeriod`, the time left until it.
    error AidTermsInvalidPublicityWindow(uint32 publicityWindow, uint40 claimPeriod);
}
