// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IAidEscrow} from "./interfaces/IAidEscrow.sol";
import {IAidRegistry} from "./interfaces/IAidRegistry.sol";
import {
    ProjectTerms,
    ProjectStatus,
    ProjectLedger,
    EnrolmentStatus,
    Enrolment,
    ClaimRequest
} from "./interfaces/AidTypes.sol";

/// @title AidEscrow
/// @notice Holds donated funds per project and releases them only to enrolled, currently eligible
/// households, or back to donors. See IAidEscrow for the behaviour; docs/ARCHITECTURE.md for the design.
/// @dev Not upgradeable and without an owner: the only outflows are `_pay` from `_claim` (to the
/// household's bound account) and from `refund` (to the donor). Storage is split by access path so the
/// hot paths touch few slots: donations touch `Funding`, claims `Payout` and one unlock-time slot.
contract AidEscrow is IAidEscrow, EIP712, Nonces, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc IAidEscrow
    uint256 public constant MAX_CONDITIONS = 8;
    /// @inheritdoc IAidEscrow
    uint8 public constant MAX_THRESHOLD = 8;
    /// @inheritdoc IAidEscrow
    uint256 public constant MAX_TRANCHES = 12;
    /// @inheritdoc IAidEscrow
    bytes32 public constant CLAIM_TYPEHASH = keccak256(
        "ClaimRequest(uint256 projectId,bytes32 commitment,uint8 trancheIndex,address recipient,uint256 amount,uint256 nonce,uint256 deadline)"
    );

    /// @dev Read and written by every donation (one slot).
    struct Funding {
        uint112 raised; // total donated
        uint40 fundingDeadline; // donations while now < fundingDeadline; zero means no such project
        uint32 donorCount; // distinct donors
        bool isToken; // duplicated from Config.token so a donation reads one slot
        bool cancelled; // set when manager and reviewer both approved
        uint40 cancelledAt; // when it was cancelled
    }

    /// @dev Read and written by every claim (one slot).
    struct Payout {
        uint88 amountPerTranche; // per household per tranche
        uint112 claimed; // paid to households; <= committed <= raised, so it fits
        uint40 claimDeadline; // claims while now < claimDeadline; moved to the cancellation time on cancel
        uint8 trancheCount; // 1..MAX_TRANCHES; zero means no such project
        bool isToken; // duplicated from Config.token so an ETH claim reads no other terms slot
    }

    /// @dev Refund and commitment figures (one slot).
    struct Accounts {
        uint112 committed; // owed or paid to enrolled households
        uint112 refunded; // paid back to donors
        uint32 refundedDonors; // donors who took their refund
    }

    /// @dev Terms read off the hot paths.
    struct Config {
        address token; // address(0) for ETH
        uint8 threshold; // k
        uint8 conditionCount; // number of entries used in Project.conditions
        uint32 maxBeneficiaries; // cap on Counters.enrolled
        uint32 publicityWindow; // seconds
    }

    struct Counters {
        uint32 enrolled; // currently enrolled or objected
        uint32 enrolments; // ever, re-entries included
        uint32 exited; // exits recorded
        uint32 objectionsUpheld; // removals by upheld objection
        uint8 cancelApprovals; // bit 0: manager, bit 1: reviewer
    }

    struct Project {
        Funding funding;
        Payout payout;
        Accounts accounts;
        Config config;
        Counters counters;
        address manager;
        uint40[MAX_TRANCHES] unlockTimes;
        bytes32[MAX_CONDITIONS] conditions;
        bytes32 category;
        bytes32 region;
        string metadataURI;
    }

    uint8 private constant _MANAGER_APPROVED = 1;
    uint8 private constant _REVIEWER_APPROVED = 2;

    IAidRegistry private immutable _registry;

    uint256 private _projectCount;
    mapping(uint256 projectId => Project) private _projects;
    mapping(uint256 projectId => mapping(address donor => uint256 amount)) private _contributions;
    mapping(uint256 projectId => mapping(bytes32 commitment => Enrolment)) private _enrolments;
    mapping(uint256 projectId => mapping(bytes32 commitment => bytes32 attestersHash)) private _enrolmentAttesters;
    mapping(address official => uint32 count) private _upheldAgainst;
    mapping(address token => bool allowed) private _allowedTokens;

    modifier onlyRegistryRole(bytes32 role) {
        if (!_registry.hasRole(role, msg.sender)) revert AidEscrowUnauthorized(msg.sender, role);
        _;
    }

    modifier onlyOfficial() {
        if (!_registry.isOfficial(msg.sender)) revert AidEscrowUnauthorized(msg.sender, keccak256("official"));
        _;
    }

    /// @param registry_ the registry of roles, identities and attestations (must be a contract)
    constructor(IAidRegistry registry_) EIP712("PrecisionAid AidEscrow", "1") {
        if (address(registry_).code.length == 0) revert AidEscrowInvalidRegistry(address(registry_));
        _registry = registry_;
    }

    // ---------------------------------------------------------------- projects

    /// @inheritdoc IAidEscrow
    function createProject(ProjectTerms calldata terms)
        external
        onlyRegistryRole(_registry.MANAGER_ROLE())
        returns (uint256 projectId)
    {
        projectId = ++_projectCount;
        Project storage p = _projects[projectId];
        p.manager = msg.sender;
        _writeTerms(p, terms);
        emit ProjectCreated(projectId, msg.sender, terms);
    }

    /// @inheritdoc IAidEscrow
    function updateTerms(uint256 projectId, ProjectTerms calldata terms) external {
        Project storage p = _existing(projectId);
        if (msg.sender != p.manager) revert AidEscrowNotProjectManager(projectId, msg.sender);
        // Terms are what donors agreed to: once money arrived they are frozen.
        if (p.funding.raised != 0) revert AidEscrowTermsFrozen(projectId, p.funding.raised);
        // Only while Funding, so a status never moves back (Active -> Funding) through new deadlines.
        ProjectStatus s = _status(p);
        if (s != ProjectStatus.Funding) revert AidEscrowWrongProjectStatus(projectId, ProjectStatus.Funding, s);
        _writeTerms(p, terms);
        // A cancellation approval referred to the old terms: it does not carry over.
        p.counters.cancelApprovals = 0;
        emit ProjectTermsUpdated(projectId, terms);
    }

    /// @inheritdoc IAidEscrow
    function approveCancellation(uint256 projectId) external {
        Project storage p = _existing(projectId);
        _requireLive(projectId, p);
        bool asReviewer;
        uint8 flag;
        // The project's manager always approves as manager, so one person can never supply both halves.
        if (msg.sender == p.manager && _registry.hasRole(_registry.MANAGER_ROLE(), msg.sender)) {
            flag = _MANAGER_APPROVED;
        } else if (_registry.hasRole(_registry.REVIEWER_ROLE(), msg.sender)) {
            flag = _REVIEWER_APPROVED;
            asReviewer = true;
        } else {
            revert AidEscrowUnauthorized(msg.sender, _registry.REVIEWER_ROLE());
        }
        Counters storage c = p.counters;
        if (c.cancelApprovals & flag != 0) revert AidEscrowCancellationAlreadyApproved(projectId, msg.sender);
        c.cancelApprovals |= flag;
        emit CancellationApproved(projectId, msg.sender, asReviewer);

        if (c.cancelApprovals == _MANAGER_APPROVED | _REVIEWER_APPROVED) {
            uint40 nowTime = _now();
            p.funding.cancelled = true;
            p.funding.cancelledAt = nowTime;
            // Closing claims by moving the deadline keeps the claim path to a single slot read.
            p.payout.claimDeadline = nowTime;
            emit ProjectCancelled(projectId, uint256(p.funding.raised) - p.payout.claimed);
        }
    }

    // ---------------------------------------------------------------- donations

    /// @inheritdoc IAidEscrow
    function donate(uint256 projectId) external payable whenNotPaused {
        Funding storage f = _projects[projectId].funding;
        if (f.isToken) revert AidEscrowWrongToken(projectId, address(0));
        _checkDonation(projectId, f, msg.value);
        _recordDonation(projectId, f, msg.value);
    }

    /// @inheritdoc IAidEscrow
    function donateToken(uint256 projectId, uint256 amount) external whenNotPaused nonReentrant {
        _donateToken(projectId, amount);
    }

    /// @inheritdoc IAidEscrow
    function donateWithPermit(uint256 projectId, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        whenNotPaused
        nonReentrant
    {
        Project storage p = _existing(projectId);
        address token = p.config.token;
        if (!p.funding.isToken) revert AidEscrowWrongToken(projectId, token);
        // A permit seen in the mempool can be submitted by anyone first; the allowance it created is
        // then as good as ours (OpenZeppelin's IERC20Permit security note).
        try IERC20Permit(token).permit(msg.sender, address(this), amount, deadline, v, r, s) {}
        catch {
            uint256 allowance = IERC20(token).allowance(msg.sender, address(this));
            if (allowance < amount) revert AidEscrowInsufficientAllowance(token, allowance, amount);
        }
        _donateToken(projectId, amount);
    }

    // ---------------------------------------------------------------- identification

    /// @inheritdoc IAidEscrow
    function enrol(uint256 projectId, bytes32 commitment, address[] calldata attesters)
        external
        whenNotPaused
        onlyOfficial
    {
        Project storage p = _existing(projectId);
        _requireLive(projectId, p);
        {
            (address account,) = _registry.eligibilityEpoch(commitment);
            if (account == address(0)) revert AidEscrowIdentityNotBound(commitment);
        }
        EnrolmentStatus prior = _enrolments[projectId][commitment].status;
        if (prior != EnrolmentStatus.None && prior != EnrolmentStatus.Exited) {
            revert AidEscrowCannotEnrol(projectId, commitment, prior);
        }
        Counters storage c = p.counters;
        {
            uint32 maxBeneficiaries = p.config.maxBeneficiaries;
            if (c.enrolled >= maxBeneficiaries) revert AidEscrowCapacityReached(projectId, maxBeneficiaries);
        }
        (uint40 eligibleUntil, uint64 epoch) = _verify(p, commitment, attesters);
        (uint16 settled, uint256 amount) = _commit(projectId, p, commitment, prior);
        ++c.enrolled;
        ++c.enrolments;
        uint40 windowEndsAt = _now() + p.config.publicityWindow;
        _enrolments[projectId][commitment] = Enrolment({
            status: EnrolmentStatus.Enrolled,
            settledMask: settled,
            enrolledAt: _now(),
            windowEndsAt: windowEndsAt,
            eligibleUntil: eligibleUntil,
            epoch: epoch
        });
        _enrolmentAttesters[projectId][commitment] = keccak256(abi.encodePacked(attesters));
        emit BeneficiaryEnrolled(projectId, commitment, msg.sender, amount, windowEndsAt, attesters);
    }

    /// @inheritdoc IAidEscrow
    /// @dev Open to anyone on purpose: the publicity window exists so villagers and auditors can object.
    function object(uint256 projectId, bytes32 commitment, bytes32 reasonHash) external {
        _existing(projectId);
        Enrolment storage e = _enrolments[projectId][commitment];
        _requireEnrolmentStatus(projectId, commitment, e.status, EnrolmentStatus.Enrolled);
        if (_now() >= e.windowEndsAt) revert AidEscrowPublicityWindowClosed(projectId, commitment, e.windowEndsAt);
        e.status = EnrolmentStatus.Objected;
        emit ObjectionRaised(projectId, commitment, msg.sender, reasonHash);
    }

    /// @inheritdoc IAidEscrow
    function ruleOnObjection(uint256 projectId, bytes32 commitment, bool upheld, address[] calldata attesters)
        external
        onlyRegistryRole(_registry.REVIEWER_ROLE())
    {
        Project storage p = _existing(projectId);
        Enrolment storage e = _enrolments[projectId][commitment];
        _requireEnrolmentStatus(projectId, commitment, e.status, EnrolmentStatus.Objected);
        if (!upheld) {
            e.status = EnrolmentStatus.Enrolled;
            emit ObjectionRuled(projectId, commitment, msg.sender, false, 0);
            return;
        }
        if (keccak256(abi.encodePacked(attesters)) != _enrolmentAttesters[projectId][commitment]) {
            revert AidEscrowAttestersMismatch(projectId, commitment);
        }
        uint256 released = _release(p, e);
        e.status = EnrolmentStatus.Removed;
        --p.counters.enrolled;
        ++p.counters.objectionsUpheld;
        // One upheld objection counts once per official, however many conditions they attested.
        // Bounded by MAX_CONDITIONS x MAX_THRESHOLD (the list was checked against the enrolment).
        for (uint256 i; i < attesters.length; ++i) {
            if (!_listedBefore(attesters, i)) ++_upheldAgainst[attesters[i]];
        }
        emit ObjectionRuled(projectId, commitment, msg.sender, true, released);
    }

    /// @inheritdoc IAidEscrow
    function recordExit(uint256 projectId, bytes32 commitment, bytes32 reasonHash) external onlyOfficial {
        Project storage p = _existing(projectId);
        _requireLive(projectId, p);
        Enrolment storage e = _enrolments[projectId][commitment];
        _requireEnrolmentStatus(projectId, commitment, e.status, EnrolmentStatus.Enrolled);
        uint256 released = _release(p, e);
        e.status = EnrolmentStatus.Exited;
        --p.counters.enrolled;
        ++p.counters.exited;
        emit BeneficiaryExited(projectId, commitment, msg.sender, reasonHash, released);
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
        if (block.timestamp >= request.deadline) revert AidEscrowSignatureExpired(request.deadline);
        (address account, uint64 epoch) = _registry.eligibilityEpoch(request.commitment);
        // The recipient is whoever the registry says, never whoever submits: a relayer cannot redirect.
        if (account == address(0) || request.recipient != account) {
            revert AidEscrowNotBeneficiary(request.commitment, request.recipient);
        }
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
        if (!SignatureChecker.isValidSignatureNowCalldata(account, digest, signature)) {
            revert AidEscrowInvalidSignature(account);
        }
        _useCheckedNonce(account, request.nonce);
        uint256 perTranche = _projects[request.projectId].payout.amountPerTranche;
        if (request.amount != perTranche) revert AidEscrowWrongAmount(perTranche, request.amount);
        _claim(request.projectId, request.commitment, request.trancheIndex, account, epoch, attesters);
    }

    /// @inheritdoc IAidEscrow
    /// @dev Deliberately not paused: a pause must never trap donors.
    function refund(uint256 projectId) external nonReentrant {
        Project storage p = _existing(projectId);
        uint256 amount = _refundable(projectId, p, msg.sender);
        if (amount == type(uint256).max) revert AidEscrowNothingToRefund(projectId, msg.sender);

        delete _contributions[projectId][msg.sender];
        Accounts storage a = p.accounts;
        // Cannot overflow: refunded <= raised - claimed < 2**112.
        a.refunded += uint112(amount);
        ++a.refundedDonors;
        emit Refunded(projectId, msg.sender, amount);
        if (amount != 0) _pay(p, p.payout.isToken, msg.sender, amount);
    }

    // ---------------------------------------------------------------- administration

    /// @inheritdoc IAidEscrow
    function pause() external onlyRegistryRole(_registry.GUARDIAN_ROLE()) {
        _pause();
    }

    /// @inheritdoc IAidEscrow
    function unpause() external onlyRegistryRole(_registry.GUARDIAN_ROLE()) {
        _unpause();
    }

    /// @inheritdoc IAidEscrow
    function setTokenAllowed(address token, bool allowed) external onlyRegistryRole(bytes32(0)) {
        if (token.code.length == 0) revert AidEscrowTokenNotAllowed(token);
        _allowedTokens[token] = allowed;
        emit TokenAllowlisted(token, allowed);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IAidEscrow
    function registry() external view returns (IAidRegistry) {
        return _registry;
    }

    /// @inheritdoc IAidEscrow
    function projectCount() external view returns (uint256) {
        return _projectCount;
    }

    /// @inheritdoc IAidEscrow
    function projectTerms(uint256 projectId) external view returns (ProjectTerms memory terms) {
        Project storage p = _existing(projectId);
        Config memory cfg = p.config;
        Payout memory po = p.payout;
        terms.token = cfg.token;
        terms.category = p.category;
        terms.region = p.region;
        terms.metadataURI = p.metadataURI;
        terms.conditions = _conditions(p);
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

    /// @inheritdoc IAidEscrow
    function projectManager(uint256 projectId) external view returns (address) {
        return _existing(projectId).manager;
    }

    /// @inheritdoc IAidEscrow
    function projectStatus(uint256 projectId) external view returns (ProjectStatus) {
        return _status(_projects[projectId]);
    }

    /// @inheritdoc IAidEscrow
    function projectLedger(uint256 projectId) external view returns (ProjectLedger memory) {
        Project storage p = _existing(projectId);
        Counters memory c = p.counters;
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
        return _enrolments[projectId][commitment];
    }

    /// @inheritdoc IAidEscrow
    function contributionOf(uint256 projectId, address donor) external view returns (uint256) {
        return _contributions[projectId][donor];
    }

    /// @inheritdoc IAidEscrow
    function refundableOf(uint256 projectId, address donor) external view returns (uint256) {
        Project storage p = _projects[projectId];
        ProjectStatus s = _status(p);
        if (s != ProjectStatus.Cancelled && s != ProjectStatus.Closed) return 0;
        uint256 amount = _refundable(projectId, p, donor);
        return amount == type(uint256).max ? 0 : amount;
    }

    /// @inheritdoc IAidEscrow
    function upheldObjectionsAgainst(address official) external view returns (uint32) {
        return _upheldAgainst[official];
    }

    /// @inheritdoc IAidEscrow
    function isTokenAllowed(address token) external view returns (bool) {
        return token == address(0) || _allowedTokens[token];
    }

    /// @inheritdoc IAidEscrow
    function nonces(address owner) public view override(IAidEscrow, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    // ---------------------------------------------------------------- internal: money

    function _donateToken(uint256 projectId, uint256 amount) private {
        Project storage p = _existing(projectId);
        Funding storage f = p.funding;
        IERC20 token = IERC20(p.config.token);
        if (!f.isToken) revert AidEscrowWrongToken(projectId, address(token));
        _checkDonation(projectId, f, amount);
        // Count what arrived, not what was asked: fee-on-transfer and "max means balance" tokens
        // would otherwise leave the books ahead of the balance.
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != amount) revert AidEscrowTransferShortfall(address(token), amount, received);
        _recordDonation(projectId, f, amount);
    }

    function _checkDonation(uint256 projectId, Funding storage f, uint256 amount) private view {
        if (amount == 0) revert AidEscrowZeroAmount();
        uint40 deadline = f.fundingDeadline;
        if (deadline == 0) revert AidEscrowUnknownProject(projectId);
        // Late money would be locked in a finished project.
        if (f.cancelled || _now() >= deadline) {
            revert AidEscrowWrongProjectStatus(projectId, ProjectStatus.Funding, _status(_projects[projectId]));
        }
    }

    function _recordDonation(uint256 projectId, Funding storage f, uint256 amount) private {
        mapping(address donor => uint256) storage contributions = _contributions[projectId];
        uint256 previous = contributions[msg.sender];
        // A refunded donor cannot return: donations close before refunds open.
        if (previous == 0) ++f.donorCount;
        uint112 raised = SafeCast.toUint112(uint256(f.raised) + amount);
        f.raised = raised;
        contributions[msg.sender] = previous + amount;
        emit Donated(projectId, msg.sender, amount, raised);
    }

    function _claim(
        uint256 projectId,
        bytes32 commitment,
        uint8 trancheIndex,
        address recipient,
        uint64 epoch,
        address[] calldata attesters
    ) private {
        Project storage p = _projects[projectId];
        Payout memory po = p.payout;
        if (po.trancheCount == 0) revert AidEscrowUnknownProject(projectId);
        uint40 nowTime = _now();
        if (nowTime >= po.claimDeadline) revert AidEscrowClaimsClosed(projectId, po.claimDeadline);
        if (trancheIndex >= po.trancheCount) {
            revert AidEscrowUnknownTranche(projectId, trancheIndex, po.trancheCount);
        }
        uint40 unlockTime = p.unlockTimes[trancheIndex];
        if (nowTime < unlockTime) revert AidEscrowTrancheLocked(projectId, trancheIndex, unlockTime);

        Enrolment memory e = _enrolments[projectId][commitment];
        _requireEnrolmentStatus(projectId, commitment, e.status, EnrolmentStatus.Enrolled);
        if (nowTime < e.windowEndsAt) revert AidEscrowPublicityWindowOpen(projectId, commitment, e.windowEndsAt);
        uint16 bit = uint16(1 << trancheIndex);
        if (e.settledMask & bit != 0) revert AidEscrowTrancheSettled(projectId, commitment, trancheIndex);

        // The cached proof holds exactly while nothing it rests on was revoked, shortened or removed
        // (same epoch) and none of its attestations expired; otherwise eligibility is proven again.
        if (e.epoch != epoch || nowTime >= e.eligibleUntil) {
            if (attesters.length == 0) revert AidEscrowEligibilityUnproven(projectId, commitment);
            (e.eligibleUntil, e.epoch) = _verify(p, commitment, attesters);
        }

        e.settledMask |= bit;
        _enrolments[projectId][commitment] = e;
        // Cannot overflow: claimed <= committed <= raised < 2**112.
        p.payout.claimed = po.claimed + po.amountPerTranche;
        emit AidClaimed(projectId, commitment, recipient, trancheIndex, po.amountPerTranche);
        _pay(p, po.isToken, recipient, po.amountPerTranche);
    }

    /// @dev What refund() would pay `donor`, or type(uint256).max if they have nothing to refund.
    /// Every donor gets floor(contribution x pool / raised): rounding is down for everyone, so no donor
    /// gets back more than they gave and the sum paid never exceeds the pool. What rounding leaves (under
    /// one wei per donor) stays held by the project, visible as raised - claimed - refunded.
    function _refundable(uint256 projectId, Project storage p, address donor) private view returns (uint256) {
        Funding memory f = p.funding;
        Payout memory po = p.payout;
        if (!f.cancelled && _now() < po.claimDeadline) {
            revert AidEscrowWrongProjectStatus(projectId, ProjectStatus.Closed, _status(p));
        }
        uint256 contribution = _contributions[projectId][donor];
        if (contribution == 0) return type(uint256).max;
        return Math.mulDiv(contribution, uint256(f.raised) - po.claimed, f.raised);
    }

    /// @dev The only place money leaves the escrow. Callers have written all state before calling.
    function _pay(Project storage p, bool isToken, address to, uint256 amount) private {
        if (isToken) {
            IERC20(p.config.token).safeTransfer(to, amount);
        } else {
            // A full-gas call, not transfer(): Safes and other contract wallets must be payable.
            Address.sendValue(payable(to), amount);
        }
    }

    /// @dev Commits the tranches an (re-)enrolling household is owed, refusing to promise more than the
    /// project holds uncommitted. Returns the tranches already settled and the amount committed.
    function _commit(uint256 projectId, Project storage p, bytes32 commitment, EnrolmentStatus prior)
        private
        returns (uint16 settled, uint256 amount)
    {
        Payout memory po = p.payout;
        if (prior == EnrolmentStatus.Exited) {
            // Re-entry: only tranches that have not unlocked yet are owed (bounded by MAX_TRANCHES).
            uint40 nowTime = _now();
            for (uint256 i; i < po.trancheCount; ++i) {
                if (p.unlockTimes[i] <= nowTime) settled |= uint16(1 << i);
            }
        }
        uint256 open = po.trancheCount - _popcount(settled);
        if (open == 0) revert AidEscrowNoTranchesLeft(projectId, commitment);
        amount = open * po.amountPerTranche;
        Accounts storage a = p.accounts;
        uint256 available = uint256(p.funding.raised) - a.committed;
        if (amount > available) revert AidEscrowOverCommitment(projectId, amount, available);
        // Cannot overflow: committed <= raised < 2**112.
        a.committed += uint112(amount);
    }

    /// @dev Releases the unpaid tranches of an enrolment from the project's commitment.
    function _release(Project storage p, Enrolment storage e) private returns (uint256 released) {
        Payout memory po = p.payout;
        uint16 settled = e.settledMask;
        released = (po.trancheCount - _popcount(settled)) * uint256(po.amountPerTranche);
        e.settledMask = uint16((1 << po.trancheCount) - 1);
        // Cannot underflow: the released tranches were added to committed at enrolment.
        p.accounts.committed -= uint112(released);
    }

    // ---------------------------------------------------------------- internal: terms and checks

    function _writeTerms(Project storage p, ProjectTerms calldata t) private {
        if (t.token != address(0) && !_allowedTokens[t.token]) revert AidEscrowTokenNotAllowed(t.token);
        uint256 nConditions = t.conditions.length;
        if (nConditions == 0 || nConditions > MAX_CONDITIONS) {
            revert AidEscrowInvalidConditionCount(nConditions, MAX_CONDITIONS);
        }
        if (t.threshold == 0 || t.threshold > MAX_THRESHOLD) revert AidEscrowInvalidThreshold(t.threshold, MAX_THRESHOLD);
        if (t.amountPerTranche == 0) revert AidEscrowZeroAmount();
        uint256 nTranches = t.trancheUnlockTimes.length;
        if (nTranches == 0 || nTranches > MAX_TRANCHES) revert AidEscrowInvalidTrancheCount(nTranches, MAX_TRANCHES);
        if (t.maxBeneficiaries == 0) revert AidEscrowZeroMaxBeneficiaries();
        // The publicity window is the public-notice step of the programme; it cannot be skipped.
        if (t.publicityWindow == 0) revert AidEscrowZeroPublicityWindow();
        if (t.fundingDeadline <= _now() || t.claimDeadline < t.fundingDeadline) {
            revert AidEscrowInvalidDeadlines(t.fundingDeadline, t.claimDeadline);
        }

        // Both loops are bounded by MAX_CONDITIONS and MAX_TRANCHES; unused entries are cleared so a
        // shorter update leaves nothing behind.
        for (uint256 i; i < MAX_CONDITIONS; ++i) {
            bytes32 id;
            if (i < nConditions) {
                id = t.conditions[i];
                if (id == bytes32(0)) revert AidEscrowInvalidCondition(i, id);
                for (uint256 j; j < i; ++j) {
                    if (t.conditions[j] == id) revert AidEscrowInvalidCondition(i, id);
                }
            }
            p.conditions[i] = id;
        }
        uint40 previous;
        for (uint256 i; i < MAX_TRANCHES; ++i) {
            uint40 unlockTime;
            if (i < nTranches) {
                unlockTime = t.trancheUnlockTimes[i];
                if (unlockTime <= previous || unlockTime >= t.claimDeadline) {
                    revert AidEscrowInvalidUnlockTime(i, unlockTime);
                }
                previous = unlockTime;
            }
            p.unlockTimes[i] = unlockTime;
        }

        bool isToken = t.token != address(0);
        p.funding.fundingDeadline = t.fundingDeadline;
        p.funding.isToken = isToken;
        p.payout = Payout({
            amountPerTranche: t.amountPerTranche,
            claimed: 0,
            claimDeadline: t.claimDeadline,
            // Cannot truncate: nTranches <= MAX_TRANCHES.
            trancheCount: uint8(nTranches),
            isToken: isToken
        });
        p.config = Config({
            token: t.token,
            threshold: t.threshold,
            // Cannot truncate: nConditions <= MAX_CONDITIONS.
            conditionCount: uint8(nConditions),
            maxBeneficiaries: t.maxBeneficiaries,
            publicityWindow: t.publicityWindow
        });
        p.category = t.category;
        p.region = t.region;
        p.metadataURI = t.metadataURI;
    }

    function _verify(Project storage p, bytes32 commitment, address[] calldata attesters)
        private
        view
        returns (uint40 eligibleUntil, uint64 epoch)
    {
        return _registry.verifyConditions(commitment, _conditions(p), p.config.threshold, attesters);
    }

    function _conditions(Project storage p) private view returns (bytes32[] memory conditions) {
        uint256 n = p.config.conditionCount;
        conditions = new bytes32[](n);
        for (uint256 i; i < n; ++i) {
            conditions[i] = p.conditions[i];
        }
    }

    function _existing(uint256 projectId) private view returns (Project storage p) {
        p = _projects[projectId];
        if (p.payout.trancheCount == 0) revert AidEscrowUnknownProject(projectId);
    }

    function _requireLive(uint256 projectId, Project storage p) private view {
        ProjectStatus s = _status(p);
        if (s != ProjectStatus.Funding && s != ProjectStatus.Active) revert AidEscrowProjectNotLive(projectId, s);
    }

    function _requireEnrolmentStatus(
        uint256 projectId,
        bytes32 commitment,
        EnrolmentStatus actual,
        EnrolmentStatus expected
    ) private pure {
        if (actual != expected) revert AidEscrowWrongEnrolmentStatus(projectId, commitment, expected, actual);
    }

    /// @dev The one place a project's status is derived; the order makes the status only move forward.
    function _status(Project storage p) private view returns (ProjectStatus) {
        Payout memory po = p.payout;
        if (po.trancheCount == 0) return ProjectStatus.None;
        if (p.funding.cancelled) return ProjectStatus.Cancelled;
        uint40 nowTime = _now();
        if (nowTime >= po.claimDeadline) return ProjectStatus.Closed;
        if (nowTime < p.funding.fundingDeadline) return ProjectStatus.Funding;
        return ProjectStatus.Active;
    }

    /// @dev The single place time is read.
    function _now() private view returns (uint40) {
        return uint40(block.timestamp);
    }

    function _listedBefore(address[] calldata list, uint256 index) private pure returns (bool) {
        for (uint256 j; j < index; ++j) {
            if (list[j] == list[index]) return true;
        }
        return false;
    }

    function _popcount(uint16 x) private pure returns (uint256 n) {
        // Kernighan's trick: at most MAX_TRANCHES iterations.
        while (x != 0) {
            x &= x - 1;
            ++n;
        }
    }
}
