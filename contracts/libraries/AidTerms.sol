// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IAidTermsErrors} from "../interfaces/IAidTermsErrors.sol";

/// @title AidTerms: the one schedule rule of escrow projects and roster programmes
/// @notice Tranche unlock times, deadlines and the publicity window are checked here for both systems.
/// Every window is half-open (valid while now < end).
library AidTerms {
    /// @dev Tranches per project or programme (a household's settled tranches fit in a uint16 mask).
    uint256 internal constant MAX_TRANCHES = 12;
    /// @dev The claim deadline may lie at most this far after creation: about five years, the length of a
    /// national poverty-alleviation plan. A bound keeps a manager from locking donors' money for decades.
    uint40 internal constant MAX_DURATION = 1826 days;

    /// @dev Refuses a schedule that could lock money or promise what can never be paid.
    function validateSchedule(
        uint40[] calldata unlockTimes,
        uint40 fundingDeadline,
        uint40 claimDeadline,
        uint32 publicityWindow
    ) internal view {
        uint40 nowTime = uint40(block.timestamp);
        uint40 latest = nowTime + MAX_DURATION;
        if (fundingDeadline <= nowTime || claimDeadline < fundingDeadline || claimDeadline > latest) {
            revert IAidTermsErrors.AidTermsInvalidDeadlines(fundingDeadline, claimDeadline, latest);
        }
        // The publicity window is the public-notice step of the programme: it cannot be skipped, and a window
        // that cannot end before the claim deadline would commit money that can never be paid.
        if (publicityWindow == 0 || publicityWindow >= claimDeadline - nowTime) {
            revert IAidTermsErrors.AidTermsInvalidPublicityWindow(publicityWindow, claimDeadline - nowTime);
        }
        uint256 n = unlockTimes.length;
        if (n == 0 || n > MAX_TRANCHES) revert IAidTermsErrors.AidTermsInvalidTrancheCount(n, MAX_TRANCHES);
        // Bounded by MAX_TRANCHES. Strictly increasing, and every tranche must unlock while claims are open.
        uint40 previous;
        for (uint256 i; i < n; ++i) {
            uint40 unlockTime = unlockTimes[i];
            if (unlockTime <= previous || unlockTime >= claimDeadline) {
                revert IAidTermsErrors.AidTermsInvalidUnlockTime(i, unlockTime);
            }
            previous = unlockTime;
        }
    }
}
