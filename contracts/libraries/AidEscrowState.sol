// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ProjectStatus, EnrolmentStatus, Enrolment, CancellationHalf} from "../interfaces/AidTypes.sol";
import {IAidEscrow} from "../interfaces/IAidEscrow.sol";
import {IAidRegistry} from "../interfaces/IAidRegistry.sol";

/// @dev The escrow's storage, shared by AidEscrow (money and claims) and its linked library
/// AidEscrowGovernance (terms, cancellation, enrolments, objections, exits), which reaches it through one
/// pointer. A project's storage is split into one-slot structs by who touches it: donations touch
/// `EscrowFunding`, claims `EscrowPayout` and one unlock-time slot.

/// @dev Read and written by every donation (one slot).
struct EscrowFunding {
    uint112 raised; // total donated
    uint40 fundingDeadline; // donations while now < fundingDeadline; zero means no such project
    uint32 donorCount; // distinct donors
    bool isToken; // duplicated from EscrowConfig.token so a donation reads one slot
    uint40 cancelledAt; // when manager and reviewer completed the cancellation; 0 while not cancelled
    uint24 termsVersion; // 1 at creation, +1 per update: a donation names the version it agrees to
}

/// @dev Read and written by every claim (one slot).
struct EscrowPayout {
    uint88 amountPerTranche; // per household per tranche
    uint112 claimed; // paid to households; <= committed <= raised, so it fits
    uint40 claimDeadline; // as agreed, before pauses; moved to the cancellation time on cancel
    uint8 trancheCount; // 1..MAX_TRANCHES; zero means no such project
    bool isToken; // duplicated from EscrowConfig.token so an ETH claim reads no other terms slot
}

/// @dev Refund and commitment figures (one slot).
struct EscrowAccounts {
    uint112 committed; // owed or paid to enrolled households
    uint112 refunded; // paid back to donors
    uint32 refundedDonors; // donors who took their refund
}

/// @dev Terms read off the hot paths.
struct EscrowConfig {
    address token; // address(0) for ETH
    uint8 threshold; // k
    uint8 conditionCount; // number of entries used in EscrowProject.conditions
    uint32 maxBeneficiaries; // cap on EscrowCounters.enrolled
    uint32 publicityWindow; // seconds
}

struct EscrowCounters {
    uint32 enrolled; // currently enrolled or objected
    uint32 enrolments; // ever, re-entries included
    uint32 exited; // exits recorded
    uint32 objectionsUpheld; // removals by upheld objection
    uint40 pauseBase; // seconds paused (pause clock) when the terms were set: only later pauses move the deadline
}

struct EscrowProject {
    EscrowFunding funding;
    EscrowPayout payout;
    EscrowAccounts accounts;
    EscrowConfig config;
    EscrowCounters counters;
    address manager;
    uint40[12] unlockTimes; // AidTerms.MAX_TRANCHES
    bytes32[8] conditions; // MAX_CONDITIONS
    bytes32 category;
    bytes32 region;
    string metadataURI;
}

/// @dev All of the escrow's own storage (the pause clock and claim nonces live in the shared bases).
struct EscrowState {
    uint256 projectCount;
    mapping(uint256 projectId => EscrowProject) projects;
    mapping(uint256 projectId => mapping(address donor => uint256 amount)) contributions;
    mapping(uint256 projectId => mapping(bytes32 commitment => Enrolment)) enrolments;
    mapping(uint256 projectId => mapping(bytes32 commitment => bytes32 attestersHash)) enrolmentAttesters;
    mapping(uint256 projectId => CancellationHalf) cancellations;
    mapping(address official => uint32 count) upheldAgainst;
    mapping(address token => bool allowed) allowedTokens;
}

/// @dev What AidEscrowGovernance needs from the escrow besides its storage: the registry and its role ids
/// (immutables of the escrow) and the pause clock's paused seconds now.
struct EscrowContext {
    IAidRegistry registry;
    bytes32 managerRole;
    bytes32 reviewerRole;
    uint40 pausedSeconds;
}

/// @title EscrowRules: the rules AidEscrow and AidEscrowGovernance both apply
/// @dev Internal functions: the one home of a project's status and claim deadline.
library EscrowRules {
    /// @dev The project, or a revert if there is none.
    function existing(EscrowState storage s, uint256 projectId) internal view returns (EscrowProject storage p) {
        p = s.projects[projectId];
        if (p.payout.trancheCount == 0) revert IAidEscrow.AidEscrowUnknownProject(projectId);
    }

    /// @dev The claim deadline now: as agreed, moved later by every second paused since the terms were set
    /// (docs/DECISIONS.md, "Pause"); the cancellation time once cancelled. While paused it moves with the
    /// clock, so it can never pass during a pause, and a project never closes and then reopens.
    /// @param pausedSeconds the pause clock's paused seconds now (AidPausable._pausedSeconds)
    function claimDeadline(EscrowProject storage p, uint40 pausedSeconds) internal view returns (uint40) {
        uint40 agreed = p.payout.claimDeadline;
        // Never paused (pauseBase <= pausedSeconds): nothing to add, and the counters slot stays unread.
        if (p.funding.cancelledAt != 0 || pausedSeconds == 0) return agreed;
        return agreed + (pausedSeconds - p.counters.pauseBase);
    }

    /// @dev The one place a project's status is derived; the order makes the status only move forward.
    function status(EscrowProject storage p, uint40 pausedSeconds) internal view returns (ProjectStatus) {
        if (p.payout.trancheCount == 0) return ProjectStatus.None;
        if (p.funding.cancelledAt != 0) return ProjectStatus.Cancelled;
        uint40 nowTime = uint40(block.timestamp);
        if (nowTime >= claimDeadline(p, pausedSeconds)) return ProjectStatus.Closed;
        if (nowTime < p.funding.fundingDeadline) return ProjectStatus.Funding;
        return ProjectStatus.Active;
    }

    function requireLive(EscrowProject storage p, uint256 projectId, uint40 pausedSeconds) internal view {
        ProjectStatus st = status(p, pausedSeconds);
        if (st != ProjectStatus.Funding && st != ProjectStatus.Active) {
            revert IAidEscrow.AidEscrowProjectNotLive(projectId, st);
        }
    }

    function requireEnrolmentStatus(
        uint256 projectId,
        bytes32 commitment,
        EnrolmentStatus actual,
        EnrolmentStatus expected
    ) internal pure {
        if (actual != expected) revert IAidEscrow.AidEscrowWrongEnrolmentStatus(projectId, commitment, expected, actual);
    }

    /// @dev Proves that `commitment` meets every condition of the project now (IAidRegistry.verifyConditions).
    function verify(EscrowProject storage p, IAidRegistry registry, bytes32 commitment, address[] calldata attesters)
        internal
        view
        returns (uint40 eligibleUntil, uint64 epoch)
    {
        return registry.verifyConditions(commitment, conditions(p), p.config.threshold, attesters);
    }

    /// @dev The project's condition ids (bounded by MAX_CONDITIONS).
    function conditions(EscrowProject storage p) internal view returns (bytes32[] memory ids) {
        uint256 n = p.config.conditionCount;
        ids = new bytes32[](n);
        for (uint256 i; i < n; ++i) {
            ids[i] = p.conditions[i];
        }
    }

    /// @dev The tranches that unlock after `nowTime` (bounded by MAX_TRANCHES).
    function lockedMask(EscrowProject storage p, uint256 trancheCount, uint40 nowTime) internal view returns (uint16 mask) {
        for (uint256 i; i < trancheCount; ++i) {
            if (p.unlockTimes[i] > nowTime) mask |= uint16(1 << i);
        }
    }

    /// @dev An objection reason's tag: the top 47 bits of its hash with the lowest bit set, so it is never zero
    /// (zero means "no objection yet").
    function reasonTag(bytes32 reasonHash) internal pure returns (uint48) {
        return uint48(uint256(reasonHash) >> 208) | 1;
    }

    function popcount(uint16 x) internal pure returns (uint256 n) {
        // Kernighan's trick: at most MAX_TRANCHES iterations.
        while (x != 0) {
            x &= x - 1;
            ++n;
        }
    }
}
