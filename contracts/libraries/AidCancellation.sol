// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {CancellationHalf} from "../interfaces/AidTypes.sol";
import {IAidSharedErrors} from "../interfaces/IAidSharedErrors.sol";

/// @title AidCancellation: the two-person cancellation of escrow projects and roster programmes
/// @notice A cancellation needs the manager's half and a reviewer's half, from two different accounts,
/// whatever roles either holds or drops in between: the first half counts only while its approver still
/// holds the role it was given in, and only for APPROVAL_LIFETIME; its approver may withdraw it. See
/// docs/DECISIONS.md, "Cancellation".
library AidCancellation {
    /// @dev How long a half-approval waits for the other half.
    uint40 internal constant APPROVAL_LIFETIME = 7 days;

    /// @dev Records `who`'s half (their role decided by the caller) or, if it completes a pair with the half in
    /// force, clears it and returns true.
    /// @param firstHoldsRole whether the approver of the half in force (see `current`) still holds the role it
    /// approved in; a half whose approver lost it no longer counts
    /// @return cancelled whether the pair is complete
    /// @return expiresAt when the half just recorded expires (0 when cancelled)
    function approve(CancellationHalf storage s, address who, bool asReviewer, bool firstHoldsRole)
        internal
        returns (bool cancelled, uint40 expiresAt)
    {
        CancellationHalf memory h = s;
        uint40 nowTime = uint40(block.timestamp);
        if (_inForce(h, nowTime) && firstHoldsRole) {
            // Two different accounts, whatever roles the first holds now besides the one it approved in.
            if (h.approver == who) revert IAidSharedErrors.AidCancellationAlreadyApproved(who, h.approvedAt + APPROVAL_LIFETIME);
            if (h.asReviewer == asReviewer) revert IAidSharedErrors.AidCancellationHalfTaken(h.approver, asReviewer);
            delete s.approver;
            delete s.approvedAt;
            delete s.asReviewer;
            return (true, 0);
        }
        s.approver = who;
        s.approvedAt = nowTime;
        s.asReviewer = asReviewer;
        return (false, nowTime + APPROVAL_LIFETIME);
    }

    /// @dev Withdraws `who`'s half in force.
    function withdraw(CancellationHalf storage s, address who) internal {
        CancellationHalf memory h = s;
        if (h.approver != who || !_inForce(h, uint40(block.timestamp))) revert IAidSharedErrors.AidCancellationNotApproved(who);
        delete s.approver;
        delete s.approvedAt;
        delete s.asReviewer;
    }

    /// @dev The half in force now (all zero if none, or if it expired).
    function current(CancellationHalf storage s) internal view returns (CancellationHalf memory h) {
        h = s;
        if (!_inForce(h, uint40(block.timestamp))) delete h;
    }

    function _inForce(CancellationHalf memory h, uint40 nowTime) private pure returns (bool) {
        return h.approver != address(0) && nowTime < h.approvedAt + APPROVAL_LIFETIME;
    }
}
