// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IAidEscrow} from "./interfaces/IAidEscrow.sol";
import {IAidRegistry} from "./interfaces/IAidRegistry.sol";
import {IAidPausable} from "./interfaces/IAidPausable.sol";
import {
    ProjectTerms,
    ProjectStatus,
    ProjectLedger,
    EnrolmentStatus,
    Enrolment,
    ClaimRequest,
    SignedClaim,
    CancellationHalf
} from "./interfaces/AidTypes.sol";
import {AidMoney} from "./libraries/AidMoney.sol";
import {AidBatch} from "./libraries/AidBatch.sol";
import {AidSignatures} from "./libraries/AidSignatures.sol";
import {AidPausable, AidPauseClock} from "./libraries/AidPausable.sol";
import {AidClaimNonces} from "./libraries/AidClaimNonces.sol";
import {AidCancellation} from "./libraries/AidCancellation.sol";
import {AidEscrowGovernance} from "./libraries/AidEscrowGovernance.sol";
import {
    EscrowState,
    EscrowProject,
    EscrowFunding,
    EscrowPayout,
    EscrowAccounts,
    EscrowCounters,
    EscrowContext,
    EscrowRules
} from "./libraries/AidEscrowState.sol";

/// @title AidEscrow
/// @notice Holds donated funds per project and releases them only to enrolled, currently eligible
/// households, or back to donors. See IAidEscrow for the behaviour; docs/ARCHITECTURE.md for the design.
/// @dev Not upgradeable and without an owner: the only outflows are AidMoney.pay from `_claim` (to the
/// household's bound account) and from `refund` (to the donor). Money and claims live here; decisions about
/// projects and households (terms, cancellation, enrolment, objections, exits) run in the linked library
/// AidEscrowGovernance on this contract's storage (contracts/libraries/AidEscrowState.sol).
contract AidEscrow is IAidEscrow, EIP712, AidPausable, AidClaimNonces, ReentrancyGuardTransient {
    /// @inheritdoc IAidEscrow
    uint256 public constant MAX_CONDITIONS = 8;
    /// @inheritdoc IAidEscrow
    uint8 public constant MAX_THRESHOLD = 8;
    /// @inheritdoc IAidEscrow
    uint256 public constant MAX_TRANCHES = 12;
    /// @inheritdoc IAidEscrow
    uint256 public constant CLAIM_GAS_CAP = 500_000;
    /// @inheritdoc IAidEscrow
    bytes32 public constant CLAIM_TYPEHASH = keccak256(
        "ClaimRequest(uint256 projectId,bytes32 commitment,uint8 trancheIndex,address recipient,uint256 amount,uint256 nonce,uint256 deadline)"
    );
    /// @inheritdoc IAidEscrow
    bytes32 public constant EXIT_TYPEHASH = AidEscrowGovernance.EXIT_TYPEHASH;

    /// @dev What a batch keeps in hand before each entry: the entry's cap, the 1/64 a call keeps back, and the
    /// loop's own work. A batch never lets an entry run short because the batch itself ran low.
    uint256 private constant _BATCH_ENTRY_RESERVE = CLAIM_GAS_CAP + CLAIM_GAS_CAP / 63 + 20_000;

    IAidRegistry private immutable _registry;
    bytes32 private immutable _managerRole;
    bytes32 private immutable _reviewerRole;

    EscrowState private _s;

    modifier onlyRegistryRole(bytes32 role) {
        if (!_registry.hasRole(role, msg.sender)) revert AidEscrowUnauthorized(msg.sender, role);
        _;
    }

    modifier whenNotPaused() {
        _requireNotPaused();
        _;
    }

    /// @param registry_ the registry of roles, identities and attestations (must be a contract)
    constructor(IAidRegistry registry_) EIP712("PrecisionAid AidEscrow", "1") {
        if (address(registry_).code.length == 0) revert AidEscrowInvalidRegistry(address(registry_));
        _registry = registry_;
        _managerRole = registry_.MANAGER_ROLE();
        _reviewerRole = registry_.REVIEWER_ROLE();
    }

    // ---------------------------------------------------------------- projects (AidEscrowGovernance)

    /// @inheritdoc IAidEscrow
    function createProject(ProjectTerms calldata terms) external returns (uint256) {
        return AidEscrowGovernance.createProject(_s, _context(), terms);
    }

    /// @inheritdoc IAidEscrow
    function updateTerms(uint256 projectId, ProjectTerms calldata terms) external {
        AidEscrowGovernance.updateTerms(_s, _context(), projectId, terms);
    }

    /// @inheritdoc IAidEscrow
    function approveCancellation(uint256 projectId) external {
        AidEscrowGovernance.approveCancellation(_s, _context(), projectId);
    }

    /// @inheritdoc IAidEscrow
    function withdrawCancellation(uint256 projectId) external {
        AidEscrowGovernance.withdrawCancellation(_s, projectId);
    }

    // ---------------------------------------------------------------- households (AidEscrowGovernance)

    /// @inheritdoc IAidEscrow
    function enrol(uint256 projectId, bytes32 commitment, address[] calldata attesters) external whenNotPaused {
        AidEscrowGovernance.enrol(_s, _context(), projectId, commitment, attesters);
    }

    /// @inheritdoc IAidEscrow
    /// @dev Open to anyone on purpose, and not paused: the publicity window exists so villagers can object.
    function object(uint256 projectId, bytes32 commitment, bytes32 reasonHash) external {
        // Here, not in AidEscrowGovernance: a villager's objection should not pay for a library call.
        EscrowRules.existing(_s, projectId);
        Enrolment storage e = _s.enrolments[projectId][commitment];
        EscrowRules.requireEnrolmentStatus(projectId, commitment, e.status, EnrolmentStatus.Enrolled);
        uint40 windowEndsAt = e.windowEndsAt;
        if (_now() >= windowEndsAt) revert AidEscrowPublicityWindowClosed(projectId, commitment, windowEndsAt);
        // The reason is kept in the enrolment's own slot, so the rule costs no extra storage write.
        uint48 tag = EscrowRules.reasonTag(reasonHash);
        if (tag == e.reasonTag) revert AidEscrowObjectionAlreadyDismissed(projectId, commitment, reasonHash);
        e.status = EnrolmentStatus.Objected;
        e.reasonTag = tag;
        emit ObjectionRaised(projectId, commitment, msg.sender, reasonHash);
    }

    /// @inheritdoc IAidEscrow
    function ruleOnObjection(uint256 projectId, bytes32 commitment, bool upheld, address[] calldata attesters)
        external
    {
        AidEscrowGovernance.ruleOnObjection(_s, _context(), projectId, commitment, upheld, attesters);
    }

    /// @inheritdoc IAidEscrow
    function dismissObjections(uint256 projectId, bytes32[] calldata commitments) external returns (uint256) {
        return AidEscrowGovernance.dismissObjections(_s, _context(), projectId, commitments);
    }

    /// @inheritdoc IAidEscrow
    function recordExit(
        uint256 projectId,
        bytes32 commitment,
        bytes32 reasonHash,
        uint256 deadline,
        address[] calldata officials,
        bytes[] calldata signatures
    ) external whenNotPaused {
        AidEscrowGovernance.recordExit(
            _s, _context(), _domainSeparatorV4(), projectId, commitment, reasonHash, deadline, officials, signatures
        );
    }

    // ---------------------------------------------------------------- donations

    /// @inheritdoc IAidEscrow
    function donate(uint256 projectId, uint256 agreedVersion) external payable whenNotPaused {
        EscrowFunding storage f = _s.projects[projectId].funding;
        if (f.isToken) revert AidEscrowWrongToken(projectId, address(0));
        _checkDonation(projectId, f, msg.value, agreedVersion);
        _recordDonation(projectId, f, msg.value);
    }

    /// @inheritdoc IAidEscrow
    function donateToken(uint256 projectId, uint256 amount, uint256 agreedVersion)
        external
        whenNotPaused
        nonReentrant
    {
        _donateToken(projectId, amount, agreedVersion);
    }

    /// @inheritdoc IAidEscrow
    function donateWithPermit(
        uint256 projectId,
        uint256 amount,
        uint256 agreedVersion,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused nonReentrant {
        EscrowProject storage p = EscrowRules.existing(_s, projectId);
        address token = p.config.token;
        if (!p.funding.isToken) revert AidEscrowWrongToken(projectId, token);
        AidMoney.permit(token, msg.sender, amount, deadline, v, r, s);
        _donateToken(projectId, amount, agreedVersion);
    }

    // ---------------------------------------------------------------- claims and refunds

    /// @inheritdoc IAidEscrow
    function claim(uint256 projectId, bytes32 commitment, uint8 trancheIndex, address[] calldata attesters)
        external
        whenNotPaused
        nonReentrant
    {
        (address account, uint64 epoch) = _registry.eligibilityEpoch(commitment);
        if (account == address(0) || msg.sender != account) revert AidEscrowNotBeneficiary(commitment, msg.sender);
        _claim(projectId, commitment, trancheIndex, account, epoch, attesters);
    }

    /// @inheritdoc IAidEscrow
    function claimBySig(ClaimRequest calldata request, bytes calldata signature, address[] calldata attesters)
        external
        whenNotPaused
        nonReentrant
    {
        (address account, uint64 epoch) = _checkSignedClaim(request, signature);
        _claim(request.projectId, request.commitment, request.trancheIndex, account, epoch, attesters);
    }

    /// @inheritdoc IAidEscrow
    /// @dev Not payable. Each entry runs as its own call to claimBySig with at most CLAIM_GAS_CAP gas, so
    /// whatever an entry does (a moved nonce, a wallet that refuses the money, a gas bomb in a contract
    /// wallet) reverts that entry alone. Bounded by the caller's calldata, not by storage.
    function claimBatch(SignedClaim[] calldata claims) external returns (uint256 paid) {
        _requireNotPaused();
        for (uint256 i; i < claims.length; ++i) {
            if (gasleft() < _BATCH_ENTRY_RESERVE) revert AidEscrowBatchOutOfGas(i, gasleft());
            SignedClaim calldata c = claims[i];
            uint256 tuple;
            assembly ("memory-safe") {
                tuple := c
            }
            // The entry's encoding ends after its signature (head word 7) or its attesters (head word 8).
            uint256 end = Math.max(AidBatch.dynamicEnd(tuple, 7, true), AidBatch.dynamicEnd(tuple, 8, false));
            (bool ok, bytes memory reason) =
                AidBatch.callSelf(this.claimBySig.selector, tuple, end, false, CLAIM_GAS_CAP);
            if (ok) ++paid;
            else emit ClaimSkipped(c.request.projectId, c.request.commitment, c.request.trancheIndex, reason);
        }
    }

    /// @inheritdoc IAidEscrow
    /// @dev Deliberately not paused: a pause must never trap donors (docs/THREATS.md).
    function refund(uint256 projectId) external nonReentrant {
        EscrowProject storage p = EscrowRules.existing(_s, projectId);
        uint256 amount = _refundable(projectId, p, msg.sender);
        if (amount == type(uint256).max) revert AidEscrowNothingToRefund(projectId, msg.sender);

        delete _s.contributions[projectId][msg.sender];
        EscrowAccounts storage a = p.accounts;
        // Cannot overflow: refunded <= raised - claimed < 2**112.
        a.refunded += uint112(amount);
        ++a.refundedDonors;
        emit Refunded(projectId, msg.sender, amount);
        if (amount != 0) AidMoney.pay(_tokenOf(p, p.payout.isToken), msg.sender, amount);
    }

    // ---------------------------------------------------------------- administration

    /// @inheritdoc IAidPausable
    function pause() external onlyRegistryRole(_registry.GUARDIAN_ROLE()) {
        AidPauseClock.pause(_pauseClock);
    }

    /// @inheritdoc IAidPausable
    function unpause() external onlyRegistryRole(_registry.GUARDIAN_ROLE()) {
        AidPauseClock.unpause(_pauseClock);
    }

    /// @inheritdoc IAidEscrow
    function setTokenAllowed(address token, bool allowed) external onlyRegistryRole(bytes32(0)) {
        if (token.code.length == 0) revert AidEscrowTokenNotAllowed(token);
        _s.allowedTokens[token] = allowed;
        emit TokenAllowlisted(token, allowed);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IAidEscrow
    function registry() external view returns (IAidRegistry) {
        return _registry;
    }

    /// @inheritdoc IAidEscrow
    function projectCount() external view returns (uint256) {
        return _s.projectCount;
    }

    /// @inheritdoc IAidEscrow
    function projectTerms(uint256 projectId) external view returns (ProjectTerms memory) {
        return AidEscrowGovernance.projectTerms(_s, projectId);
    }

    /// @inheritdoc IAidEscrow
    function termsVersion(uint256 projectId) external view returns (uint256) {
        return EscrowRules.existing(_s, projectId).funding.termsVersion;
    }

    /// @inheritdoc IAidEscrow
    function claimDeadline(uint256 projectId) external view returns (uint40) {
        return EscrowRules.claimDeadline(EscrowRules.existing(_s, projectId), _pausedNow());
    }

    /// @inheritdoc IAidEscrow
    function projectManager(uint256 projectId) external view returns (address) {
        return EscrowRules.existing(_s, projectId).manager;
    }

    /// @inheritdoc IAidEscrow
    function projectStatus(uint256 projectId) external view returns (ProjectStatus) {
        return EscrowRules.status(_s.projects[projectId], _pausedNow());
    }

    /// @inheritdoc IAidEscrow
    function projectLedger(uint256 projectId) external view returns (ProjectLedger memory) {
        EscrowProject storage p = EscrowRules.existing(_s, projectId);
        EscrowCounters memory c = p.counters;
        return ProjectLedger({
            raised: p.funding.raised,
            committed: p.accounts.committed,
            claimed: p.payout.claimed,
            refunded: p.accounts.refunded,
            donors: p.funding.donorCount,
            refundedDonors: p.accounts.refundedDonors,
            enrolled: c.enrolled,
            enrolments: c.enrolments,
            exited: c.exited,
            objectionsUpheld: c.objectionsUpheld
        });
    }

    /// @inheritdoc IAidEscrow
    function enrolment(uint256 projectId, bytes32 commitment) external view returns (Enrolment memory) {
        return _s.enrolments[projectId][commitment];
    }

    /// @inheritdoc IAidEscrow
    function cancellationApproval(uint256 projectId) external view returns (CancellationHalf memory) {
        return AidCancellation.current(_s.cancellations[projectId]);
    }

    /// @inheritdoc IAidEscrow
    function contributionOf(uint256 projectId, address donor) external view returns (uint256) {
        return _s.contributions[projectId][donor];
    }

    /// @inheritdoc IAidEscrow
    function refundableOf(uint256 projectId, address donor) external view returns (uint256) {
        EscrowProject storage p = _s.projects[projectId];
        ProjectStatus st = EscrowRules.status(p, _pausedNow());
        if (st != ProjectStatus.Cancelled && st != ProjectStatus.Closed) return 0;
        uint256 amount = _refundable(projectId, p, donor);
        return amount == type(uint256).max ? 0 : amount;
    }

    /// @inheritdoc IAidEscrow
    function upheldObjectionsAgainst(address official) external view returns (uint32) {
        return _s.upheldAgainst[official];
    }

    /// @inheritdoc IAidEscrow
    function isTokenAllowed(address token) external view returns (bool) {
        return token == address(0) || _s.allowedTokens[token];
    }

    // ---------------------------------------------------------------- internal: money

    function _donateToken(uint256 projectId, uint256 amount, uint256 version) private {
        EscrowProject storage p = EscrowRules.existing(_s, projectId);
        EscrowFunding storage f = p.funding;
        address token = p.config.token;
        if (!f.isToken) revert AidEscrowWrongToken(projectId, token);
        _checkDonation(projectId, f, amount, version);
        AidMoney.pull(token, msg.sender, amount);
        _recordDonation(projectId, f, amount);
    }

    function _checkDonation(uint256 projectId, EscrowFunding storage f, uint256 amount, uint256 version) private view {
        if (amount == 0) revert AidEscrowZeroAmount(projectId);
        uint40 fundingDeadline = f.fundingDeadline;
        if (fundingDeadline == 0) revert AidEscrowUnknownProject(projectId);
        // Late money would be locked in a finished project.
        if (f.cancelledAt != 0 || _now() >= fundingDeadline) {
            revert AidEscrowWrongProjectStatus(
                projectId, ProjectStatus.Funding, EscrowRules.status(_s.projects[projectId], _pausedNow())
            );
        }
        // The donor agrees to the terms they saw; a manager's update in between voids the donation.
        uint24 current = f.termsVersion;
        if (version != current) revert AidEscrowTermsChanged(projectId, current, version);
    }

    function _recordDonation(uint256 projectId, EscrowFunding storage f, uint256 amount) private {
        mapping(address donor => uint256) storage contributions = _s.contributions[projectId];
        uint256 previous = contributions[msg.sender];
        // A refunded donor cannot return: donations close before refunds open.
        if (previous == 0) ++f.donorCount;
        uint112 raised = SafeCast.toUint112(uint256(f.raised) + amount);
        f.raised = raised;
        contributions[msg.sender] = previous + amount;
        emit Donated(projectId, msg.sender, amount, raised);
    }

    /// @dev The checks of a signed claim before the claim's own: deadline, recipient, nonce, signature, amount.
    /// Returns the bound account and the eligibility epoch.
    function _checkSignedClaim(ClaimRequest calldata request, bytes calldata signature)
        private
        view
        returns (address account, uint64 epoch)
    {
        AidSignatures.requireLive(request.deadline);
        (account, epoch) = _registry.eligibilityEpoch(request.commitment);
        // The recipient is whoever the registry says, never whoever submits: a relayer cannot redirect.
        if (account == address(0) || request.recipient != account) {
            revert AidEscrowNotBeneficiary(request.commitment, request.recipient);
        }
        // Replay is impossible without the nonce (the tranche is settled by its first use); the nonce lets the
        // account void what it signed, and is only read.
        _requireClaimNonce(account, request.nonce);
        bytes32 digest = _hashTypedDataV4(
            keccak256(
                abi.encode(
                    CLAIM_TYPEHASH,
                    request.projectId,
                    request.commitment,
                    request.trancheIndex,
                    request.recipient,
                    request.amount,
                    request.nonce,
                    request.deadline
                )
            )
        );
        AidSignatures.requireValid(account, digest, signature);
        uint256 perTranche = _s.projects[request.projectId].payout.amountPerTranche;
        if (request.amount != perTranche) revert AidEscrowWrongAmount(perTranche, request.amount);
    }

    function _claim(
        uint256 projectId,
        bytes32 commitment,
        uint8 trancheIndex,
        address recipient,
        uint64 epoch,
        address[] calldata attesters
    ) private {
        EscrowProject storage p = _s.projects[projectId];
        EscrowPayout memory po = p.payout;
        if (po.trancheCount == 0) revert AidEscrowUnknownProject(projectId);
        uint40 nowTime = _now();
        // Past the deadline as agreed, the time paused since may still keep claims open.
        if (nowTime >= po.claimDeadline) {
            uint40 deadline = EscrowRules.claimDeadline(p, _pausedNow());
            if (nowTime >= deadline) revert AidEscrowClaimsClosed(projectId, deadline);
        }
        if (trancheIndex >= po.trancheCount) {
            revert AidEscrowUnknownTranche(projectId, trancheIndex, po.trancheCount);
        }
        uint40 unlockTime = p.unlockTimes[trancheIndex];
        if (nowTime < unlockTime) revert AidEscrowTrancheLocked(projectId, trancheIndex, unlockTime);

        Enrolment memory e = _s.enrolments[projectId][commitment];
        // An exited household keeps what unlocked before its exit: its unsettled tranches stay claimable.
        if (e.status != EnrolmentStatus.Enrolled && e.status != EnrolmentStatus.Exited) {
            revert AidEscrowWrongEnrolmentStatus(projectId, commitment, EnrolmentStatus.Enrolled, e.status);
        }
        if (nowTime < e.windowEndsAt) revert AidEscrowPublicityWindowOpen(projectId, commitment, e.windowEndsAt);
        uint16 bit = uint16(1 << trancheIndex);
        if (e.settledMask & bit != 0) revert AidEscrowTrancheSettled(projectId, commitment, trancheIndex);

        // The cached proof holds exactly while nothing it rests on was revoked, shortened or removed
        // (same epoch) and none of its attestations expired; otherwise eligibility is proven again.
        if (e.epoch != epoch || nowTime >= e.eligibleUntil) {
            if (attesters.length == 0) revert AidEscrowEligibilityUnproven(projectId, commitment);
            (e.eligibleUntil, e.epoch) = EscrowRules.verify(p, _registry, commitment, attesters);
        }

        e.settledMask |= bit;
        _s.enrolments[projectId][commitment] = e;
        // Cannot overflow: claimed <= committed <= raised < 2**112.
        p.payout.claimed = po.claimed + po.amountPerTranche;
        emit AidClaimed(projectId, commitment, recipient, trancheIndex, po.amountPerTranche);
        AidMoney.pay(_tokenOf(p, po.isToken), recipient, po.amountPerTranche);
    }

    /// @dev The project's token, read only for token projects so an ETH payment reads no terms slot.
    function _tokenOf(EscrowProject storage p, bool isToken) private view returns (address) {
        return isToken ? p.config.token : address(0);
    }

    /// @dev What refund() would pay `donor`, or type(uint256).max if they have nothing to refund. The pool is
    /// raised - claimed (docs/DECISIONS.md, "Refund rounding").
    function _refundable(uint256 projectId, EscrowProject storage p, address donor) private view returns (uint256) {
        // Refunds open on cancellation or once the claim deadline passed. The pause clock is read only past
        // the deadline as agreed: before it, no pause can have closed the project.
        if (p.funding.cancelledAt == 0) {
            uint40 nowTime = _now();
            if (nowTime < p.payout.claimDeadline || nowTime < EscrowRules.claimDeadline(p, _pausedNow())) {
                revert AidEscrowWrongProjectStatus(projectId, ProjectStatus.Closed, EscrowRules.status(p, _pausedNow()));
            }
        }
        uint256 contribution = _s.contributions[projectId][donor];
        if (contribution == 0) return type(uint256).max;
        uint256 raised = p.funding.raised;
        return AidMoney.refundShare(contribution, raised - p.payout.claimed, raised);
    }

    /// @dev What AidEscrowGovernance needs besides the storage.
    function _context() private view returns (EscrowContext memory) {
        return EscrowContext({
            registry: _registry,
            managerRole: _managerRole,
            reviewerRole: _reviewerRole,
            pausedSeconds: _pausedNow()
        });
    }

    /// @dev The single place time is read.
    function _now() private view returns (uint40) {
        return uint40(block.timestamp);
    }
}
