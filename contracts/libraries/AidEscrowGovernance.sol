// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {IAidEscrow} from "../interfaces/IAidEscrow.sol";
import {ProjectTerms, ProjectStatus, EnrolmentStatus, Enrolment, CancellationHalf} from "../interfaces/AidTypes.sol";
import {AidTerms} from "./AidTerms.sol";
import {AidSignatures} from "./AidSignatures.sol";
import {AidCancellation} from "./AidCancellation.sol";
import {
    EscrowState,
    EscrowProject,
    EscrowPayout,
    EscrowConfig,
    EscrowCounters,
    EscrowContext,
    EscrowRules
} from "./AidEscrowState.sol";

/// @title AidEscrowGovernance: the escrow's decisions about projects and households
/// @notice Terms, the two-person cancellation, enrolments, objections and rulings, and exits: everything
/// the escrow does that is not moving money. AidEscrow calls it with DELEGATECALL (a linked library), so it
/// works on the escrow's own storage and emits the escrow's events; it holds no state and no money.
/// @dev Split out so the escrow keeps room under the 24,576-byte limit (docs/DECISIONS.md, "Room to grow").
/// Every function here is an escrow entry point; IAidEscrow documents the behaviour.
library AidEscrowGovernance {
    uint256 internal constant MAX_CONDITIONS = 8;
    uint8 internal constant MAX_THRESHOLD = 8;
    bytes32 internal constant EXIT_TYPEHASH =
        keccak256("ExitApproval(uint256 projectId,bytes32 commitment,bytes32 reasonHash,uint40 enrolledAt,uint256 deadline)");

    // ---------------------------------------------------------------- projects

    function createProject(EscrowState storage s, EscrowContext calldata ctx, ProjectTerms calldata terms)
        external
        returns (uint256 projectId)
    {
        if (!ctx.registry.hasRole(ctx.managerRole, msg.sender)) {
            revert IAidEscrow.AidEscrowUnauthorized(msg.sender, ctx.managerRole);
        }
        projectId = ++s.projectCount;
        EscrowProject storage p = s.projects[projectId];
        p.manager = msg.sender;
        p.funding.termsVersion = 1;
        _writeTerms(s, projectId, p, terms, ctx.pausedSeconds);
        emit IAidEscrow.ProjectCreated(projectId, msg.sender, terms);
    }

    function updateTerms(EscrowState storage s, EscrowContext calldata ctx, uint256 projectId, ProjectTerms calldata terms)
        external
    {
        EscrowProject storage p = EscrowRules.existing(s, projectId);
        // Only the project's manager, and only while they still hold the role.
        if (msg.sender != p.manager || !ctx.registry.hasRole(ctx.managerRole, msg.sender)) {
            revert IAidEscrow.AidEscrowNotProjectManager(projectId, msg.sender);
        }
        // Terms are what donors agreed to: once money arrived they are frozen.
        if (p.funding.raised != 0) revert IAidEscrow.AidEscrowTermsFrozen(projectId, p.funding.raised);
        // Only while Funding, so a status never moves back (Active -> Funding) through new deadlines.
        {
            ProjectStatus st = EscrowRules.status(p, ctx.pausedSeconds);
            if (st != ProjectStatus.Funding) {
                revert IAidEscrow.AidEscrowWrongProjectStatus(projectId, ProjectStatus.Funding, st);
            }
        }
        _writeTerms(s, projectId, p, terms, ctx.pausedSeconds);
        // A donation naming the old version is refused, so nobody funds terms they did not see.
        uint24 version = p.funding.termsVersion + 1;
        p.funding.termsVersion = version;
        // A cancellation half-approval referred to the old terms: it does not carry over.
        delete s.cancellations[projectId];
        emit IAidEscrow.ProjectTermsUpdated(projectId, terms, version);
    }

    function approveCancellation(EscrowState storage s, EscrowContext calldata ctx, uint256 projectId) external {
        EscrowProject storage p = EscrowRules.existing(s, projectId);
        EscrowRules.requireLive(p, projectId, ctx.pausedSeconds);
        bool asReviewer;
        // The project's manager always approves as manager: one account gives at most one half.
        if (msg.sender == p.manager && ctx.registry.hasRole(ctx.managerRole, msg.sender)) {
            asReviewer = false;
        } else if (ctx.registry.hasRole(ctx.reviewerRole, msg.sender)) {
            asReviewer = true;
        } else {
            revert IAidEscrow.AidEscrowUnauthorized(msg.sender, ctx.reviewerRole);
        }
        CancellationHalf storage half = s.cancellations[projectId];
        CancellationHalf memory first = AidCancellation.current(half);
        // The project's manager never changes, so for the manager's half the role is all there is to check.
        bool firstHoldsRole = first.approver != address(0)
            && ctx.registry.hasRole(first.asReviewer ? ctx.reviewerRole : ctx.managerRole, first.approver);
        (bool complete, uint40 expiresAt) = AidCancellation.approve(half, msg.sender, asReviewer, firstHoldsRole);
        emit IAidEscrow.CancellationApproved(projectId, msg.sender, asReviewer, expiresAt);
        if (complete) {
            uint40 nowTime = uint40(block.timestamp);
            p.funding.cancelledAt = nowTime;
            // Closing claims by moving the deadline keeps the claim path to a single slot read.
            p.payout.claimDeadline = nowTime;
            emit IAidEscrow.ProjectCancelled(projectId, uint256(p.funding.raised) - p.payout.claimed);
        }
    }

    function withdrawCancellation(EscrowState storage s, uint256 projectId) external {
        EscrowRules.existing(s, projectId);
        AidCancellation.withdraw(s.cancellations[projectId], msg.sender);
        emit IAidEscrow.CancellationWithdrawn(projectId, msg.sender);
    }

    // ---------------------------------------------------------------- households

    function enrol(
        EscrowState storage s,
        EscrowContext calldata ctx,
        uint256 projectId,
        bytes32 commitment,
        address[] calldata attesters
    ) external {
        if (!ctx.registry.isOfficial(msg.sender)) {
            revert IAidEscrow.AidEscrowUnauthorized(msg.sender, keccak256("official"));
        }
        EscrowProject storage p = EscrowRules.existing(s, projectId);
        EscrowRules.requireLive(p, projectId, ctx.pausedSeconds);
        {
            (address account,) = ctx.registry.eligibilityEpoch(commitment);
            if (account == address(0)) revert IAidEscrow.AidEscrowIdentityNotBound(commitment);
        }
        Enrolment storage prior = s.enrolments[projectId][commitment];
        if (prior.status != EnrolmentStatus.None && prior.status != EnrolmentStatus.Exited) {
            revert IAidEscrow.AidEscrowCannotEnrol(projectId, commitment, prior.status);
        }
        EscrowCounters storage c = p.counters;
        {
            uint32 maxBeneficiaries = p.config.maxBeneficiaries;
            if (c.enrolled >= maxBeneficiaries) revert IAidEscrow.AidEscrowCapacityReached(projectId, maxBeneficiaries);
        }
        uint40 windowEndsAt = _windowEndsAt(projectId, p, ctx.pausedSeconds);
        (uint40 eligibleUntil, uint64 epoch) = EscrowRules.verify(p, ctx.registry, commitment, attesters);
        (uint16 settled, uint256 amount) = _commit(projectId, p, commitment, prior.status, prior.settledMask);
        ++c.enrolled;
        ++c.enrolments;
        s.enrolments[projectId][commitment] = Enrolment({
            status: EnrolmentStatus.Enrolled,
            settledMask: settled,
            enrolledAt: uint40(block.timestamp),
            windowEndsAt: windowEndsAt,
            eligibleUntil: eligibleUntil,
            epoch: epoch,
            reasonTag: 0
        });
        s.enrolmentAttesters[projectId][commitment] = keccak256(abi.encodePacked(attesters));
        emit IAidEscrow.BeneficiaryEnrolled(projectId, commitment, msg.sender, amount, windowEndsAt, attesters);
    }

    function ruleOnObjection(
        EscrowState storage s,
        EscrowContext calldata ctx,
        uint256 projectId,
        bytes32 commitment,
        bool upheld,
        address[] calldata attesters
    ) external {
        _requireReviewer(ctx);
        EscrowProject storage p = EscrowRules.existing(s, projectId);
        Enrolment storage e = s.enrolments[projectId][commitment];
        EscrowRules.requireEnrolmentStatus(projectId, commitment, e.status, EnrolmentStatus.Objected);
        if (!upheld) {
            e.status = EnrolmentStatus.Enrolled;
            emit IAidEscrow.ObjectionRuled(projectId, commitment, msg.sender, false, 0);
            return;
        }
        if (keccak256(abi.encodePacked(attesters)) != s.enrolmentAttesters[projectId][commitment]) {
            revert IAidEscrow.AidEscrowAttestersMismatch(projectId, commitment);
        }
        uint256 released = _release(p, e, type(uint16).max);
        e.status = EnrolmentStatus.Removed;
        --p.counters.enrolled;
        ++p.counters.objectionsUpheld;
        // One upheld objection counts once per official, however many conditions they attested.
        // Bounded by MAX_CONDITIONS x MAX_THRESHOLD (the list was checked against the enrolment).
        for (uint256 i; i < attesters.length; ++i) {
            if (!_listedBefore(attesters, i)) ++s.upheldAgainst[attesters[i]];
        }
        emit IAidEscrow.ObjectionRuled(projectId, commitment, msg.sender, true, released);
    }

    /// @dev Bounded by the caller's list, not by storage. Each dismissal costs one slot read and write and an
    /// event, a fraction of what raising the objection cost (npm run bench).
    function dismissObjections(
        EscrowState storage s,
        EscrowContext calldata ctx,
        uint256 projectId,
        bytes32[] calldata commitments
    ) external returns (uint256 dismissed) {
        _requireReviewer(ctx);
        EscrowRules.existing(s, projectId);
        mapping(bytes32 commitment => Enrolment) storage enrolments = s.enrolments[projectId];
        for (uint256 i; i < commitments.length; ++i) {
            Enrolment storage e = enrolments[commitments[i]];
            // Ruled already (by another reviewer, or listed twice): nothing left to dismiss.
            if (e.status != EnrolmentStatus.Objected) continue;
            e.status = EnrolmentStatus.Enrolled;
            ++dismissed;
            emit IAidEscrow.ObjectionRuled(projectId, commitments[i], msg.sender, false, 0);
        }
    }

    /// @param domainSeparator the escrow's EIP-712 domain separator (the signatures are the escrow's)
    function recordExit(
        EscrowState storage s,
        EscrowContext calldata ctx,
        bytes32 domainSeparator,
        uint256 projectId,
        bytes32 commitment,
        bytes32 reasonHash,
        uint256 deadline,
        address[] calldata officials,
        bytes[] calldata signatures
    ) external {
        EscrowProject storage p = EscrowRules.existing(s, projectId);
        EscrowRules.requireLive(p, projectId, ctx.pausedSeconds);
        Enrolment storage e = s.enrolments[projectId][commitment];
        EscrowRules.requireEnrolmentStatus(projectId, commitment, e.status, EnrolmentStatus.Enrolled);
        // During the window the public may still object; an exit would end that right for unlocked tranches.
        if (block.timestamp < e.windowEndsAt) {
            revert IAidEscrow.AidEscrowPublicityWindowOpen(projectId, commitment, e.windowEndsAt);
        }
        AidSignatures.requireLive(deadline);
        // The same k as the project's conditions, by signature, bound to this enrolment (its time) and reason.
        bytes32 digest = MessageHashUtils.toTypedDataHash(
            domainSeparator,
            keccak256(abi.encode(EXIT_TYPEHASH, projectId, commitment, reasonHash, e.enrolledAt, deadline))
        );
        AidSignatures.requireOfficials(ctx.registry, digest, p.config.threshold, officials, signatures);
        // Only tranches not yet unlocked are released: what unlocked while the household was enrolled stays
        // owed, claimable under the same rules as before the exit.
        uint256 released =
            _release(p, e, EscrowRules.lockedMask(p, p.payout.trancheCount, uint40(block.timestamp)));
        e.status = EnrolmentStatus.Exited;
        --p.counters.enrolled;
        ++p.counters.exited;
        emit IAidEscrow.BeneficiaryExited(projectId, commitment, officials, reasonHash, released);
    }

    // ---------------------------------------------------------------- views

    function projectTerms(EscrowState storage s, uint256 projectId) external view returns (ProjectTerms memory terms) {
        EscrowProject storage p = EscrowRules.existing(s, projectId);
        EscrowConfig memory cfg = p.config;
        EscrowPayout memory po = p.payout;
        terms.token = cfg.token;
        terms.category = p.category;
        terms.region = p.region;
        terms.metadataURI = p.metadataURI;
        terms.conditions = EscrowRules.conditions(p);
        terms.threshold = cfg.threshold;
        terms.amountPerTranche = po.amountPerTranche;
        terms.trancheUnlockTimes = new uint40[](po.trancheCount);
        for (uint256 i; i < po.trancheCount; ++i) {
            terms.trancheUnlockTimes[i] = p.unlockTimes[i];
        }
        terms.maxBeneficiaries = cfg.maxBeneficiaries;
        terms.fundingDeadline = p.funding.fundingDeadline;
        terms.claimDeadline = po.claimDeadline;
        terms.publicityWindow = cfg.publicityWindow;
    }

    // ---------------------------------------------------------------- internal

    function _writeTerms(
        EscrowState storage s,
        uint256 projectId,
        EscrowProject storage p,
        ProjectTerms calldata t,
        uint40 pausedSeconds
    ) private {
        if (t.token != address(0) && !s.allowedTokens[t.token]) revert IAidEscrow.AidEscrowTokenNotAllowed(t.token);
        uint256 nConditions = t.conditions.length;
        if (nConditions == 0 || nConditions > MAX_CONDITIONS) {
            revert IAidEscrow.AidEscrowInvalidConditionCount(nConditions, MAX_CONDITIONS);
        }
        if (t.threshold == 0 || t.threshold > MAX_THRESHOLD) {
            revert IAidEscrow.AidEscrowInvalidThreshold(t.threshold, MAX_THRESHOLD);
        }
        if (t.amountPerTranche == 0) revert IAidEscrow.AidEscrowZeroAmount(projectId);
        if (t.maxBeneficiaries == 0) revert IAidEscrow.AidEscrowZeroMaxBeneficiaries(projectId);
        AidTerms.validateSchedule(t.trancheUnlockTimes, t.fundingDeadline, t.claimDeadline, t.publicityWindow);

        // Both loops are bounded by MAX_CONDITIONS and MAX_TRANCHES; unused entries are cleared so a
        // shorter update leaves nothing behind.
        for (uint256 i; i < MAX_CONDITIONS; ++i) {
            bytes32 id;
            if (i < nConditions) {
                id = t.conditions[i];
                if (id == bytes32(0)) revert IAidEscrow.AidEscrowInvalidCondition(i, id);
                for (uint256 j; j < i; ++j) {
                    if (t.conditions[j] == id) revert IAidEscrow.AidEscrowInvalidCondition(i, id);
                }
            }
            p.conditions[i] = id;
        }
        uint256 nTranches = t.trancheUnlockTimes.length;
        for (uint256 i; i < AidTerms.MAX_TRANCHES; ++i) {
            p.unlockTimes[i] = i < nTranches ? t.trancheUnlockTimes[i] : 0;
        }

        bool isToken = t.token != address(0);
        p.funding.fundingDeadline = t.fundingDeadline;
        p.funding.isToken = isToken;
        p.payout = EscrowPayout({
            amountPerTranche: t.amountPerTranche,
            claimed: 0,
            claimDeadline: t.claimDeadline,
            // Cannot truncate: nTranches <= MAX_TRANCHES.
            trancheCount: uint8(nTranches),
            isToken: isToken
        });
        p.config = EscrowConfig({
            token: t.token,
            threshold: t.threshold,
            // Cannot truncate: nConditions <= MAX_CONDITIONS.
            conditionCount: uint8(nConditions),
            maxBeneficiaries: t.maxBeneficiaries,
            publicityWindow: t.publicityWindow
        });
        // Pauses before the terms were set do not move this deadline; every later one does.
        p.counters.pauseBase = pausedSeconds;
        p.category = t.category;
        p.region = t.region;
        p.metadataURI = t.metadataURI;
    }

    /// @dev When an enrolment now would close its publicity window. Money committed to a household whose window
    /// outlasts the claims could never be paid, so that is refused.
    function _windowEndsAt(uint256 projectId, EscrowProject storage p, uint40 pausedSeconds)
        private
        view
        returns (uint40 windowEndsAt)
    {
        windowEndsAt = uint40(block.timestamp) + p.config.publicityWindow;
        uint40 deadline = EscrowRules.claimDeadline(p, pausedSeconds);
        if (windowEndsAt >= deadline) revert IAidEscrow.AidEscrowWindowPastDeadline(projectId, windowEndsAt, deadline);
    }

    /// @dev Commits the tranches an (re-)enrolling household is owed, refusing to promise more than the
    /// project holds uncommitted. Returns the tranches already settled and the amount committed.
    function _commit(
        uint256 projectId,
        EscrowProject storage p,
        bytes32 commitment,
        EnrolmentStatus priorStatus,
        uint16 priorSettled
    ) private returns (uint16 settled, uint256 amount) {
        EscrowPayout memory po = p.payout;
        uint256 open = po.trancheCount;
        if (priorStatus == EnrolmentStatus.Exited) {
            // Re-entry: only tranches that have not unlocked yet are owed anew. Those the exit left unsettled
            // (unlocked before it) stay unsettled and committed; the rest of the old mask stays settled.
            uint16 locked = EscrowRules.lockedMask(p, po.trancheCount, uint40(block.timestamp));
            settled = priorSettled & ~locked;
            open = EscrowRules.popcount(locked);
        }
        if (open == 0) revert IAidEscrow.AidEscrowNoTranchesLeft(projectId, commitment);
        amount = open * po.amountPerTranche;
        uint256 available = uint256(p.funding.raised) - p.accounts.committed;
        if (amount > available) revert IAidEscrow.AidEscrowOverCommitment(projectId, amount, available);
        // Cannot overflow: committed <= raised < 2**112.
        p.accounts.committed += uint112(amount);
    }

    /// @dev Releases the unpaid tranches of an enrolment selected by `mask` from the project's commitment.
    function _release(EscrowProject storage p, Enrolment storage e, uint16 mask) private returns (uint256 released) {
        uint8 trancheCount = p.payout.trancheCount;
        uint16 settled = e.settledMask;
        uint16 releasing = mask & uint16((1 << trancheCount) - 1) & ~settled;
        released = EscrowRules.popcount(releasing) * uint256(p.payout.amountPerTranche);
        e.settledMask = settled | releasing;
        // Cannot underflow: the released tranches were added to committed at enrolment.
        p.accounts.committed -= uint112(released);
    }

    function _requireReviewer(EscrowContext calldata ctx) private view {
        if (!ctx.registry.hasRole(ctx.reviewerRole, msg.sender)) {
            revert IAidEscrow.AidEscrowUnauthorized(msg.sender, ctx.reviewerRole);
        }
    }

    function _listedBefore(address[] calldata list, uint256 index) private pure returns (bool) {
        for (uint256 j; j < index; ++j) {
            if (list[j] == list[index]) return true;
        }
        return false;
    }
}
