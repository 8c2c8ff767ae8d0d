// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {IAidRosterProgramme} from "../interfaces/IAidRosterProgramme.sol";
import {IAidPausable} from "../interfaces/IAidPausable.sol";
import {ProjectStatus, CancellationHalf} from "../interfaces/AidTypes.sol";
import {PauseClock} from "../interfaces/IAidPausable.sol";
import {
    RosterProgrammeTerms,
    RosterGate,
    RosterObjection,
    RosterObjectionStatus,
    LeafRecord,
    LeafChangeKind,
    LeafChangeStatus,
    LeafChangeRequest
} from "../interfaces/AidRosterTypes.sol";
import {AidMoney} from "./AidMoney.sol";
import {AidSignatures} from "./AidSignatures.sol";
import {AidCancellation} from "./AidCancellation.sol";
import {AID_MAX_PAUSE, AidPauseClock} from "./AidPausable.sol";
import {RosterState, RosterContext, RosterRules} from "./AidRosterState.sol";

/// @title AidRosterGovernance: a roster programme's decisions about leaves and about the programme
/// @notice Objections and rulings, the two-person cancellation, and leaf changes after claims open (re-bind,
/// exit, exclusion) with the claims of changed leaves. AidRosterProgramme calls it with DELEGATECALL (a linked
/// library deployed once for every programme), so it works on the programme's own storage, pays from its
/// balance and emits its events; it holds no state and no money.
/// @dev Split out so the programme and its deployer keep room under the 24,576-byte limit, and so every
/// programme's deployment carries this code only once (docs/DECISIONS.md, "Room to grow"). Every external
/// function here is a programme entry point; IAidRosterProgramme documents the behaviour.
library AidRosterGovernance {
    uint40 internal constant LEAF_CHANGE_MIN_DELAY = 1 days;
    bytes32 internal constant ROSTER_TYPEHASH =
        keccak256("Roster(bytes32 root,uint32 version,uint32 leafCount,uint256 rosterTotal,bytes32 contentHash)");
    bytes32 internal constant LEAF_CHANGE_TYPEHASH = keccak256(
        "LeafChange(uint32 version,uint256 index,uint8 kind,address newAccount,bytes32 reasonHash,uint256 nonce,uint256 deadline)"
    );

    // ---------------------------------------------------------------- roster

    function publishRoster(
        RosterState storage st,
        RosterContext calldata ctx,
        bytes32 root,
        uint32 leafCount,
        uint256 rosterTotal,
        string calldata uri,
        bytes32 contentHash
    ) external {
        if (msg.sender != ctx.manager || !ctx.registry.hasRole(RosterRules.MANAGER_ROLE, msg.sender)) {
            revert IAidRosterProgramme.AidRosterNotManager(msg.sender);
        }
        bytes32 oldRoot = st.root;
        RosterGate memory old = st.gates[oldRoot];
        _requireUnpaused(old);
        _requireLive(old.cancelledAt, ctx);
        if (root == bytes32(0) || leafCount == 0) revert IAidRosterProgramme.AidRosterInvalidRoster(root, leafCount);
        // No over-commitment: the roster may promise at most what was raised (donations only add).
        if (rosterTotal > st.raised) revert IAidRosterProgramme.AidRosterOverCommitment(rosterTotal, st.raised);
        // Once claims could have started under a root it is frozen: no leaf-tranche can then be paid under two
        // versions (docs/DECISIONS-roster.md, "No double claim across a root change").
        if (old.claimsOpenAt != 0 && block.timestamp >= old.claimsOpenAt) {
            revert IAidRosterProgramme.AidRosterRootFrozen(old.version, old.claimsOpenAt);
        }
        uint32 version = old.version + 1;
        // Voiding the old gate voids every proof, approval and objection of the old root at once.
        delete st.gates[oldRoot];
        st.gates[root] = RosterGate({version: version, leafCount: leafCount, claimsOpenAt: 0, cancelledAt: 0, pausedAt: 0});
        st.root = root;
        st.rosterTotal = uint128(rosterTotal); // cannot truncate: rosterTotal <= raised < 2**128
        st.rosterURI = uri;
        st.contentHash = contentHash;
        st.rosterHash = keccak256(abi.encode(ROSTER_TYPEHASH, root, version, leafCount, rosterTotal, contentHash));
        emit IAidRosterProgramme.RosterPublished(version, root, leafCount, rosterTotal, uri, contentHash);
    }

    // ---------------------------------------------------------------- donations

    /// @dev Rare enough to live here: a token donation with an EIP-2612 permit.
    function donateWithPermit(
        RosterState storage st,
        RosterContext calldata ctx,
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        if (ctx.token == address(0)) revert IAidRosterProgramme.AidRosterWrongToken(address(0));
        if (amount == 0) revert IAidRosterProgramme.AidRosterZeroAmount(msg.sender);
        RosterGate memory g = st.gates[st.root];
        _requireUnpaused(g);
        ProjectStatus status = RosterRules.status(g.cancelledAt, ctx.fundingDeadline, ctx.claimDeadline);
        if (status != ProjectStatus.Funding) revert IAidRosterProgramme.AidRosterNotFunding(status);
        AidMoney.permit(ctx.token, msg.sender, amount, deadline, v, r, s);
        AidMoney.pull(ctx.token, msg.sender, amount);
        uint256 previous = st.contributions[msg.sender];
        if (previous == 0) ++st.donorCount;
        uint128 raised = SafeCast.toUint128(uint256(st.raised) + amount);
        st.raised = raised;
        st.contributions[msg.sender] = previous + amount;
        emit IAidRosterProgramme.Donated(msg.sender, amount, raised);
    }

    // ---------------------------------------------------------------- objections to leaves of a new root

    /// @dev Open to anyone on purpose, also while paused: the publicity window exists so villagers can object.
    /// @dev Takes the tranche count alone, not the context, so an objection reads no pause clock.
    function object(RosterState storage st, uint256 trancheCount, uint256 index, bytes32 reasonHash) external {
        RosterGate memory g = _currentGate(st);
        if (g.claimsOpenAt == 0) revert IAidRosterProgramme.AidRosterRootNotApproved(g.version);
        if (block.timestamp >= g.claimsOpenAt) revert IAidRosterProgramme.AidRosterPublicityWindowClosed(g.claimsOpenAt);
        if (index >= g.leafCount) revert IAidRosterProgramme.AidRosterIndexOutOfRange(index, g.leafCount);
        uint256 key = RosterRules.objectionKey(g.version, index);
        RosterObjection memory current = st.objections[key];
        if (current.status != RosterObjectionStatus.None) {
            revert IAidRosterProgramme.AidRosterAlreadyObjected(index, current.status);
        }
        uint48 tag = RosterRules.reasonTag(reasonHash);
        if (tag == current.reasonTag) revert IAidRosterProgramme.AidRosterObjectionAlreadyDismissed(index, reasonHash);
        st.objections[key] = RosterObjection({status: RosterObjectionStatus.Pending, reasonTag: tag});
        // Holding = marking every tranche of the leaf settled, so the claim path needs no extra read.
        // No tranche can have been paid yet: claims start when the window ends.
        RosterRules.holdLeaf(st, g.version, index, trancheCount);
        emit IAidRosterProgramme.ObjectionRaised(g.version, index, msg.sender, reasonHash);
    }

    function ruleOnObjection(
        RosterState storage st,
        RosterContext calldata ctx,
        uint256 index,
        bool upheld,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external {
        _requireReviewer(ctx);
        uint32 version = st.gates[st.root].version;
        RosterObjection storage o = st.objections[RosterRules.objectionKey(version, index)];
        if (o.status != RosterObjectionStatus.Pending) revert IAidRosterProgramme.AidRosterNoPendingObjection(index, o.status);
        uint256 released;
        if (upheld) {
            bytes32 computed = RosterRules.processProof(proof, RosterRules.leaf(index, account, amount));
            if (computed != st.root) revert IAidRosterProgramme.AidRosterInvalidProof(index, account, computed);
            // An upheld objection releases exactly the leaf's own amount; Math.saturatingMul keeps even an absurd
            // leaf from blocking the ruling.
            released = Math.saturatingMul(amount, ctx.trancheCount);
            o.status = RosterObjectionStatus.Upheld;
            // The leaf's bits stay set: it is excluded. The officials approved rosterTotal as the sum over
            // leaves, this leaf included; should that attestation be wrong (docs/DECISIONS-roster.md, "Trust
            // assumption"), the total floors at zero so an upheld ruling can never be blocked.
            released = _lowerRosterTotal(st, released);
        } else {
            _dismiss(st, ctx, version, index, o);
        }
        emit IAidRosterProgramme.ObjectionRuled(version, index, msg.sender, upheld, released);
    }

    /// @dev Bounded by the caller's list, not by storage.
    function dismissObjections(RosterState storage st, RosterContext calldata ctx, uint256[] calldata indexes)
        external
        returns (uint256 dismissed)
    {
        _requireReviewer(ctx);
        uint32 version = st.gates[st.root].version;
        for (uint256 i; i < indexes.length; ++i) {
            uint256 index = indexes[i];
            RosterObjection storage o = st.objections[RosterRules.objectionKey(version, index)];
            // Ruled already (by another reviewer, or listed twice): nothing left to dismiss.
            if (o.status != RosterObjectionStatus.Pending) continue;
            _dismiss(st, ctx, version, index, o);
            ++dismissed;
            emit IAidRosterProgramme.ObjectionRuled(version, index, msg.sender, false, 0);
        }
    }

    // ---------------------------------------------------------------- cancellation

    function approveCancellation(RosterState storage st, RosterContext calldata ctx) external {
        RosterGate storage g = st.gates[st.root];
        _requireLive(g.cancelledAt, ctx);
        bool asReviewer;
        // The manager always approves as manager: one account gives at most one half.
        if (msg.sender == ctx.manager && ctx.registry.hasRole(RosterRules.MANAGER_ROLE, msg.sender)) {
            asReviewer = false;
        } else if (ctx.registry.hasRole(RosterRules.REVIEWER_ROLE, msg.sender)) {
            asReviewer = true;
        } else {
            revert IAidRosterProgramme.AidRosterUnauthorized(msg.sender, RosterRules.REVIEWER_ROLE);
        }
        CancellationHalf memory first = AidCancellation.current(st.cancellation);
        bool firstHoldsRole = first.approver != address(0)
            && ctx.registry.hasRole(first.asReviewer ? RosterRules.REVIEWER_ROLE : RosterRules.MANAGER_ROLE, first.approver);
        (bool complete, uint40 expiresAt) = AidCancellation.approve(st.cancellation, msg.sender, asReviewer, firstHoldsRole);
        emit IAidRosterProgramme.CancellationApproved(msg.sender, asReviewer, expiresAt);
        if (complete) {
            uint40 nowTime = uint40(block.timestamp);
            // Closing claims in the gate keeps the claim path to its single slot read.
            g.cancelledAt = nowTime;
            emit IAidRosterProgramme.ProgrammeCancelled(nowTime);
        }
    }

    function withdrawCancellation(RosterState storage st) external {
        AidCancellation.withdraw(st.cancellation, msg.sender);
        emit IAidRosterProgramme.CancellationWithdrawn(msg.sender);
    }

    function refund(RosterState storage st, RosterContext calldata ctx) external {
        ProjectStatus s = RosterRules.status(st.gates[st.root].cancelledAt, ctx.fundingDeadline, ctx.claimDeadline);
        if (s != ProjectStatus.Cancelled && s != ProjectStatus.Closed) revert IAidRosterProgramme.AidRosterRefundsNotOpen(s);
        uint256 contribution = st.contributions[msg.sender];
        if (contribution == 0) revert IAidRosterProgramme.AidRosterNothingToRefund(msg.sender);
        uint256 pool = st.refundPool;
        // The pool is what is held when the first donor refunds: claims are closed by then, so it can only shrink
        // through refunds. Snapshotting keeps every donor's share equal. Withheld tranches are part of it.
        if (pool == 0) {
            pool = AidMoney.held(ctx.token);
            st.refundPool = SafeCast.toUint128(pool);
        }
        uint256 amount = AidMoney.refundShare(contribution, pool, st.raised);
        delete st.contributions[msg.sender];
        ++st.refundedDonors;
        st.refunded += SafeCast.toUint128(amount);
        emit IAidRosterProgramme.Refunded(msg.sender, amount);
        if (amount != 0) AidMoney.pay(ctx.token, msg.sender, amount);
    }

    // ---------------------------------------------------------------- leaf changes

    function requestLeafChange(
        RosterState storage st,
        RosterContext calldata ctx,
        LeafChangeRequest calldata request,
        address[] calldata officials,
        bytes[] calldata signatures
    ) external {
        RosterGate memory g = _currentGate(st);
        _requireUnpaused(g);
        _requireLive(g.cancelledAt, ctx);
        // Before claims open the manager may still publish a corrected roster; after, only a leaf change helps.
        if (g.claimsOpenAt == 0 || block.timestamp < g.claimsOpenAt) {
            revert IAidRosterProgramme.AidRosterLeafChangeTooEarly(g.claimsOpenAt);
        }
        uint256 index = request.index;
        if (index >= g.leafCount) revert IAidRosterProgramme.AidRosterIndexOutOfRange(index, g.leafCount);
        {
            bytes32 computed = RosterRules.processProof(request.proof, RosterRules.leaf(index, request.account, request.amount));
            if (computed != st.root) revert IAidRosterProgramme.AidRosterInvalidProof(index, request.account, computed);
        }
        uint256 key = RosterRules.objectionKey(g.version, index);
        {
            RosterObjectionStatus s = st.objections[key].status;
            if (s == RosterObjectionStatus.Pending) revert IAidRosterProgramme.AidRosterLeafHeld(index);
            if (s == RosterObjectionStatus.Upheld) revert IAidRosterProgramme.AidRosterLeafExcluded(index);
        }
        if ((request.kind == LeafChangeKind.Rebind) != (request.newAccount != address(0))) {
            revert IAidRosterProgramme.AidRosterInvalidLeafChange(request.kind, request.newAccount);
        }
        LeafRecord storage r = st.leaves[key];
        _settle(r);
        if (r.status != LeafChangeStatus.None) revert IAidRosterProgramme.AidRosterLeafChangePending(index, r.effectiveAt);
        _requireSignatures(ctx, g.version, request, r.changes, officials, signatures);
        _recordChange(st, ctx, g.version, request, r, officials);
    }

    /// @dev Open to anyone on purpose, also while paused: the household itself may contest a change.
    function objectToLeafChange(RosterState storage st, uint256 index, bytes32 reasonHash) external {
        uint32 version = st.gates[st.root].version;
        LeafRecord storage r = st.leaves[RosterRules.objectionKey(version, index)];
        if (r.status != LeafChangeStatus.Pending || block.timestamp >= r.effectiveAt) {
            revert IAidRosterProgramme.AidRosterNoPendingLeafChange(index, uint8(r.status));
        }
        uint48 tag = RosterRules.reasonTag(reasonHash);
        if (tag == r.reasonTag) revert IAidRosterProgramme.AidRosterObjectionAlreadyDismissed(index, reasonHash);
        r.status = LeafChangeStatus.Objected;
        r.reasonTag = tag;
        emit IAidRosterProgramme.LeafChangeObjected(version, index, msg.sender, reasonHash);
    }

    function ruleOnLeafChange(RosterState storage st, RosterContext calldata ctx, uint256 index, bool upheld) external {
        _requireReviewer(ctx);
        uint32 version = st.gates[st.root].version;
        LeafRecord storage r = st.leaves[RosterRules.objectionKey(version, index)];
        if (r.status != LeafChangeStatus.Objected) {
            revert IAidRosterProgramme.AidRosterNoPendingLeafChange(index, uint8(r.status));
        }
        uint256 restored;
        if (upheld) {
            // The change is void: what it would have withheld is owed again, to the payee as before.
            restored = RosterRules.popcount(r.withholding) * uint256(r.amount);
            st.rosterTotal += uint128(restored);
            _clearPending(r);
        } else {
            r.status = LeafChangeStatus.Pending;
        }
        emit IAidRosterProgramme.LeafChangeRuled(version, index, msg.sender, upheld, restored);
    }

    /// @dev Pays tranche `tranche` of a changed leaf to its payee, or reverts with the precise reason. Reached only
    /// from the programme's claim paths when the ordinary path cannot pay: the proof of (index, account, amount)
    /// led to no current gate (`proven` false: a successor claims without the leaf's proof), or the tranche's
    /// flag is set (`proven` true: the ordinary path already checked the gate and the tranche).
    function claimFromRecord(
        RosterState storage st,
        RosterContext calldata ctx,
        uint256 index,
        uint256 tranche,
        address account,
        uint256 amount,
        bool proven,
        bytes32 computedRoot
    ) external {
        RosterGate memory g = st.gates[st.root];
        uint256 key = RosterRules.objectionKey(g.version, index);
        LeafRecord storage r = st.leaves[key];
        _settle(r);
        uint16 bit = uint16(1 << tranche);
        if (!proven) {
            // Without the leaf's proof only a payee named in the record may claim, with every programme check.
            if (g.version == 0 || r.payee != account) {
                revert IAidRosterProgramme.AidRosterInvalidProof(index, account, computedRoot);
            }
            _requireClaimsOpen(g, ctx, tranche);
        }
        if (r.movedMask & bit == 0) {
            // Not in the record: the ordinary flag says why (paid, held or excluded by an objection).
            RosterObjectionStatus s = st.objections[key].status;
            if (s == RosterObjectionStatus.Pending) revert IAidRosterProgramme.AidRosterLeafHeld(index);
            if (s == RosterObjectionStatus.Upheld) revert IAidRosterProgramme.AidRosterLeafExcluded(index);
            revert IAidRosterProgramme.AidRosterAlreadyClaimed(index, tranche);
        }
        if (r.payee != account) revert IAidRosterProgramme.AidRosterLeafRebound(index, r.payee);
        if (r.paidMask & bit != 0) revert IAidRosterProgramme.AidRosterAlreadyClaimed(index, tranche);
        if (r.withheldMask & bit != 0) revert IAidRosterProgramme.AidRosterLeafWithheld(index, tranche);
        // While a re-bind is pending nothing is paid (the old phone may be in other hands); while an exit or an
        // exclusion is pending, only what it does not withhold.
        if (r.status != LeafChangeStatus.None && (r.kind == LeafChangeKind.Rebind || r.withholding & bit != 0)) {
            revert IAidRosterProgramme.AidRosterLeafChangePending(index, r.effectiveAt);
        }
        uint256 perTranche = r.amount;
        if (amount != perTranche) revert IAidRosterProgramme.AidRosterWrongAmount(index, perTranche, amount);
        r.paidMask |= bit;
        emit IAidRosterProgramme.Claimed(account, index, tranche, perTranche);
        AidMoney.pay(ctx.token, account, perTranche);
    }

    // ---------------------------------------------------------------- pause

    /// @dev The programme's pause (AidPauseClock), mirrored into the current gate so a claim still reads one slot.
    function pause(RosterState storage st, PauseClock storage clock) external {
        AidPauseClock.pause(clock);
        st.gates[st.root].pausedAt = uint40(block.timestamp);
    }

    function unpause(RosterState storage st, PauseClock storage clock) external {
        AidPauseClock.unpause(clock);
        st.gates[st.root].pausedAt = 0;
    }

    // ---------------------------------------------------------------- views

    /// @param agreedClaimDeadline the claim deadline as agreed (ctx has it moved by pauses)
    function terms(RosterState storage st, RosterContext calldata ctx, uint40 agreedClaimDeadline)
        external
        view
        returns (RosterProgrammeTerms memory t)
    {
        t.token = ctx.token;
        t.category = st.category;
        t.region = st.region;
        t.metadataURI = st.metadataURI;
        t.trancheUnlockTimes = new uint40[](ctx.trancheCount);
        for (uint256 i; i < ctx.trancheCount; ++i) {
            t.trancheUnlockTimes[i] = RosterRules.unlockTime(ctx.unlocksLow, ctx.unlocksHigh, i);
        }
        t.fundingDeadline = ctx.fundingDeadline;
        t.claimDeadline = agreedClaimDeadline;
        t.publicityWindow = ctx.publicityWindow;
        t.threshold = ctx.threshold;
    }

    function refundableOf(RosterState storage st, RosterContext calldata ctx, address donor)
        external
        view
        returns (uint256)
    {
        ProjectStatus s = RosterRules.status(st.gates[st.root].cancelledAt, ctx.fundingDeadline, ctx.claimDeadline);
        uint256 contribution = st.contributions[donor];
        if ((s != ProjectStatus.Cancelled && s != ProjectStatus.Closed) || contribution == 0) return 0;
        uint256 pool = st.refundPool == 0 ? AidMoney.held(ctx.token) : st.refundPool;
        return AidMoney.refundShare(contribution, pool, st.raised);
    }

    // ---------------------------------------------------------------- internal

    /// @dev Records a change the officials signed: at the leaf's first change its unpaid tranches leave the
    /// bitmap (so the old account's claims stop at once and unaffected claims read nothing new) and are paid from
    /// the record from then on.
    function _recordChange(
        RosterState storage st,
        RosterContext calldata ctx,
        uint32 version,
        LeafChangeRequest calldata request,
        LeafRecord storage r,
        address[] calldata officials
    ) private {
        if (r.payee == address(0)) {
            r.movedMask = RosterRules.holdLeaf(st, version, request.index, ctx.trancheCount);
            r.payee = request.account;
            // Cannot truncate for any real token: a leaf's amount per tranche x tranches is at most what was raised.
            r.amount = uint128(request.amount);
        }
        uint40 effectiveAt = uint40(block.timestamp) + uint40(Math.max(ctx.publicityWindow, LEAF_CHANGE_MIN_DELAY));
        if (effectiveAt >= ctx.claimDeadline) {
            revert IAidRosterProgramme.AidRosterWindowPastDeadline(effectiveAt, ctx.claimDeadline);
        }
        uint16 withholding = _withholding(ctx, r, request.kind);
        uint256 withheldAmount = _lowerRosterTotal(st, RosterRules.popcount(withholding) * uint256(r.amount));
        ++r.changes;
        r.newPayee = request.newAccount;
        r.effectiveAt = effectiveAt;
        r.withholding = withholding;
        r.kind = request.kind;
        r.status = LeafChangeStatus.Pending;
        r.reasonTag = 0;
        emit IAidRosterProgramme.LeafChangeRequested(
            version, request.index, request.kind, request.newAccount, officials, request.reasonHash, effectiveAt, withheldAmount
        );
    }

    /// @dev Applies a pending change whose time has come (no objection stopped it).
    function _settle(LeafRecord storage r) private {
        if (r.status != LeafChangeStatus.Pending || block.timestamp < r.effectiveAt) return;
        if (r.kind == LeafChangeKind.Rebind) r.payee = r.newPayee;
        else r.withheldMask |= r.withholding;
        _clearPending(r);
    }

    function _clearPending(LeafRecord storage r) private {
        r.newPayee = address(0);
        r.effectiveAt = 0;
        r.withholding = 0;
        r.kind = LeafChangeKind.Rebind;
        r.status = LeafChangeStatus.None;
    }

    /// @dev What a change of `kind` withholds from the record's tranches still owed: an exit, those not unlocked
    /// yet (what unlocked while the household was eligible stays owed); an exclusion, all of them.
    function _withholding(RosterContext calldata ctx, LeafRecord storage r, LeafChangeKind kind)
        private
        view
        returns (uint16 mask)
    {
        if (kind == LeafChangeKind.Rebind) return 0;
        uint16 owed = r.movedMask & ~r.paidMask & ~r.withheldMask;
        if (kind == LeafChangeKind.Exclude) return owed;
        for (uint256 t; t < ctx.trancheCount; ++t) {
            if (RosterRules.unlockTime(ctx.unlocksLow, ctx.unlocksHigh, t) > block.timestamp) mask |= uint16(1 << t);
        }
        return mask & owed;
    }

    function _requireSignatures(
        RosterContext calldata ctx,
        uint32 version,
        LeafChangeRequest calldata request,
        uint16 nonce,
        address[] calldata officials,
        bytes[] calldata signatures
    ) private view {
        AidSignatures.requireLive(request.deadline);
        bytes32 digest = MessageHashUtils.toTypedDataHash(
            ctx.domainSeparator,
            keccak256(
                abi.encode(
                    LEAF_CHANGE_TYPEHASH,
                    version,
                    request.index,
                    request.kind,
                    request.newAccount,
                    request.reasonHash,
                    nonce,
                    request.deadline
                )
            )
        );
        AidSignatures.requireOfficials(ctx.registry, digest, ctx.threshold, officials, signatures);
    }

    /// @dev The programme-level checks of a claim under gate `g` (the current root's).
    function _requireClaimsOpen(RosterGate memory g, RosterContext calldata ctx, uint256 tranche)
        private
        view
    {
        _requireUnpaused(g);
        // A record exists only for a leaf of the current approved root (a change needs the leaf's proof and
        // claims open), so the root's approval, its window and the index need no check here.
        uint40 nowTime = uint40(block.timestamp);
        if (g.cancelledAt != 0) revert IAidRosterProgramme.AidRosterClaimsClosed(g.cancelledAt);
        if (nowTime >= ctx.claimDeadline) revert IAidRosterProgramme.AidRosterClaimsClosed(ctx.claimDeadline);
        if (tranche >= ctx.trancheCount) revert IAidRosterProgramme.AidRosterUnknownTranche(tranche, ctx.trancheCount);
        uint40 unlock = RosterRules.unlockTime(ctx.unlocksLow, ctx.unlocksHigh, tranche);
        if (nowTime < unlock) revert IAidRosterProgramme.AidRosterTrancheLocked(tranche, unlock);
    }

    function _dismiss(RosterState storage st, RosterContext calldata ctx, uint32 version, uint256 index, RosterObjection storage o)
        private
    {
        o.status = RosterObjectionStatus.None;
        // Safe: no claim of the leaf could have happened while it was held.
        RosterRules.releaseLeaf(st, version, index, ctx.trancheCount);
    }

    /// @dev Lowers the roster total by `amount`, flooring at zero; returns what it lowered it by.
    function _lowerRosterTotal(RosterState storage st, uint256 amount) private returns (uint256) {
        uint256 total = st.rosterTotal;
        if (amount > total) amount = total;
        st.rosterTotal = uint128(total - amount);
        return amount;
    }

    function _currentGate(RosterState storage st) private view returns (RosterGate memory g) {
        g = st.gates[st.root];
        if (g.version == 0) revert IAidRosterProgramme.AidRosterNoRoster(address(this));
    }

    function _requireLive(uint40 cancelledAt, RosterContext calldata ctx) private view {
        ProjectStatus s = RosterRules.status(cancelledAt, ctx.fundingDeadline, ctx.claimDeadline);
        if (s != ProjectStatus.Funding && s != ProjectStatus.Active) revert IAidRosterProgramme.AidRosterNotLive(s);
    }

    /// @dev Refuses while the guardian's pause (mirrored in the gate) is in force.
    function _requireUnpaused(RosterGate memory g) private view {
        if (g.pausedAt != 0 && block.timestamp < g.pausedAt + AID_MAX_PAUSE) {
            revert IAidPausable.AidPauseActive(g.pausedAt, g.pausedAt + AID_MAX_PAUSE);
        }
    }

    function _requireReviewer(RosterContext calldata ctx) private view {
        if (!ctx.registry.hasRole(RosterRules.REVIEWER_ROLE, msg.sender)) {
            revert IAidRosterProgramme.AidRosterUnauthorized(msg.sender, RosterRules.REVIEWER_ROLE);
        }
    }
}
