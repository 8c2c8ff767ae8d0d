// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IAidRegistry} from "./interfaces/IAidRegistry.sol";
import {
    Identity,
    Attestation,
    Official,
    OfficialProfile,
    RebindRequest,
    RebindStatus,
    AttestationInput
} from "./interfaces/AidTypes.sol";

/// @title AidRegistry
/// @notice Roles, officials, household identities and attestations for PrecisionAid.
/// @dev One admin (AccessControlDefaultAdminRules: two-step transfer with a delay) appoints officials and
/// grants the manager, reviewer and guardian roles. Outside the local chain that admin must be a timelock
/// (OpenZeppelin's TimelockController, deployed by ignition/modules/PrecisionAid.ts) whose delay is at
/// least MIN_PUBLIC_DELAY, so every admin action that could change who gets paid is public before it
/// takes effect (docs/DECISIONS.md, "Admin timelock"). Officials are kept in a record of their own, not
/// as an AccessControl role, so an attestation reads and writes a single slot for the check and the
/// counters. Binding and re-binding need `threshold` distinct current officials. The registry never
/// holds funds. Threat model: docs/THREATS.md.
contract AidRegistry is AccessControlDefaultAdminRules, EIP712, IAidRegistry {
    /// @inheritdoc IAidRegistry
    bytes32 public constant MANAGER_ROLE = keccak256("precisionaid.role.manager");
    /// @inheritdoc IAidRegistry
    bytes32 public constant REVIEWER_ROLE = keccak256("precisionaid.role.reviewer");
    /// @inheritdoc IAidRegistry
    bytes32 public constant GUARDIAN_ROLE = keccak256("precisionaid.role.guardian");
    /// @inheritdoc IAidRegistry
    bytes32 public constant BIND_IDENTITY_TYPEHASH =
        keccak256("BindIdentity(bytes32 commitment,address account,uint256 deadline)");
    /// @inheritdoc IAidRegistry
    bytes32 public constant CANCEL_REBIND_TYPEHASH =
        keccak256("CancelRebind(bytes32 commitment,uint32 nonce,uint256 deadline)");
    /// @inheritdoc IAidRegistry
    uint256 public constant LOCAL_CHAIN_ID = 31337;
    /// @inheritdoc IAidRegistry
    uint32 public constant MIN_PUBLIC_DELAY = 1 days;
    /// @inheritdoc IAidRegistry
    uint32 public constant MAX_REBIND_DELAY = 30 days;
    /// @inheritdoc IAidRegistry
    uint8 public constant MIN_THRESHOLD = 2;
    /// @inheritdoc IAidRegistry
    uint8 public constant MAX_THRESHOLD = 16;
    /// @inheritdoc IAidRegistry
    uint32 public constant REBIND_WINDOW = 14 days;
    /// @inheritdoc IAidRegistry
    uint256 public constant MAX_REBIND_VOTES = 32;
    /// @inheritdoc IAidRegistry
    uint256 public constant MAX_PROFILE_FIELD_LENGTH = 128;

    uint32 private _officialRemovalEpoch;
    uint8 private _rebindThreshold;
    uint32 private _rebindDelay;

    mapping(address account => Official) private _officials;
    mapping(address account => OfficialProfile) private _profiles;
    mapping(bytes32 commitment => Identity) private _identities;
    mapping(address account => bytes32 commitment) private _commitmentOf;
    mapping(address account => address successor) private _successors;
    mapping(bytes32 commitment => RebindRequest) private _rebinds;
    mapping(bytes32 commitment => mapping(uint32 nonce => address[] officials)) private _rebindApprovers;
    mapping(bytes32 commitment => mapping(uint32 nonce => address[] officials)) private _rebindCancelVoters;
    mapping(bytes32 commitment => mapping(bytes32 conditionId => mapping(address official => Attestation))) private
        _attestations;

    modifier onlyOfficial() {
        _requireOfficial(msg.sender);
        _;
    }

    /// @param admin a direct default admin, accepted on the local chain only (the devnet and tests); zero
    /// makes `timelock` the admin, as every other chain requires
    /// @param timelock the admin timelock (OpenZeppelin TimelockController) used when `admin` is zero;
    /// outside the local chain its delay must be at least MIN_PUBLIC_DELAY
    /// @param adminTransferDelay seconds a default-admin transfer must wait (on top of the timelock's delay)
    /// @param rebindThreshold distinct officials needed to bind or re-bind a household
    /// @param rebindDelay seconds between reaching the threshold and executing a re-bind
    constructor(address admin, address timelock, uint48 adminTransferDelay, uint8 rebindThreshold, uint32 rebindDelay)
        AccessControlDefaultAdminRules(adminTransferDelay, _initialAdmin(admin, timelock))
        EIP712("PrecisionAid AidRegistry", "1")
    {
        _setRebindPolicy(rebindThreshold, rebindDelay);
    }

    // ---------------------------------------------------------------- officials

    /// @inheritdoc IAidRegistry
    function addOfficial(address account, OfficialProfile calldata profile) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (account == address(0)) revert AidRegistryZeroValue("account");
        Official storage o = _officials[account];
        if (o.active) revert AidRegistryOfficialAlreadyActive(account);
        o.active = true;
        o.appointedAt = _now();
        emit OfficialAdded(account, msg.sender);
        _setProfile(account, profile);
    }

    /// @inheritdoc IAidRegistry
    function setOfficialProfile(address account, OfficialProfile calldata profile)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        _requireOfficial(account);
        _setProfile(account, profile);
    }

    /// @inheritdoc IAidRegistry
    function removeOfficial(address account) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Official storage o = _officials[account];
        if (!o.active) revert AidRegistryNotOfficial(account);
        o.active = false;
        uint32 epoch = ++_officialRemovalEpoch;
        emit OfficialRemoved(account, msg.sender, epoch);
    }

    /// @inheritdoc IAidRegistry
    function setRebindPolicy(uint8 threshold, uint32 delay) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setRebindPolicy(threshold, delay);
    }

    // ---------------------------------------------------------------- identities

    /// @inheritdoc IAidRegistry
    /// @dev Open to anyone: the k signatures are the authority (as for a roster's root approval), so an
    /// official, a relayer or the household's office may pay the gas. No nonce is needed: a commitment is
    /// bound once and never unbound (a re-bind moves it), so a signature can never bind anything twice.
    function bindIdentity(
        bytes32 commitment,
        address account,
        uint256 deadline,
        address[] calldata officials,
        bytes[] calldata signatures
    ) external {
        if (commitment == bytes32(0)) revert AidRegistryZeroValue("commitment");
        if (account == address(0)) revert AidRegistryZeroValue("account");
        _requireBeforeDeadline(deadline);
        Identity storage id = _identities[commitment];
        if (id.account != address(0)) revert AidRegistryCommitmentAlreadyBound(commitment, id.account);
        _requireBindable(account);
        // Bound to this registry (the domain's verifyingContract), the commitment, the account and the
        // deadline: a relayer can change none of them.
        bytes32 digest =
            _hashTypedDataV4(keccak256(abi.encode(BIND_IDENTITY_TYPEHASH, commitment, account, deadline)));
        _requireOfficialSignatures(digest, officials, signatures);
        id.account = account;
        id.boundAt = _now();
        _commitmentOf[account] = commitment;
        emit IdentityBound(commitment, account, officials);
    }

    /// @inheritdoc IAidRegistry
    function requestRebind(bytes32 commitment, address newAccount) external onlyOfficial {
        if (newAccount == address(0)) revert AidRegistryZeroValue("newAccount");
        if (_identities[commitment].account == address(0)) revert AidRegistryIdentityNotBound(commitment);
        _requireBindable(newAccount);
        RebindRequest storage r = _rebinds[commitment];
        RebindStatus status = _statusOf(r);
        if (status == RebindStatus.Pending || status == RebindStatus.Approved) {
            revert AidRegistryRebindPending(commitment, r.nonce, r.expiresAt);
        }
        // One official may not reopen right after their own request was cancelled or lapsed: without this,
        // a single official could keep a bogus request pending for ever and block a lost-phone recovery.
        if ((status == RebindStatus.Cancelled || status == RebindStatus.Expired) && r.requester == msg.sender) {
            revert AidRegistryRebindRequesterRepeats(commitment, msg.sender, r.nonce);
        }
        uint32 nonce = r.nonce + 1;
        uint40 expiresAt = _now() + REBIND_WINDOW;
        r.newAccount = newAccount;
        r.nonce = nonce;
        r.expiresAt = expiresAt;
        r.status = RebindStatus.Pending;
        r.requester = msg.sender;
        r.readyAt = 0;
        emit RebindRequested(commitment, newAccount, msg.sender, nonce, expiresAt);
        _approveRebind(commitment, r, nonce);
    }

    /// @inheritdoc IAidRegistry
    function approveRebind(bytes32 commitment, uint32 nonce) external onlyOfficial {
        _approveRebind(commitment, _openRequest(commitment, nonce), nonce);
    }

    /// @inheritdoc IAidRegistry
    function cancelRebind(bytes32 commitment, uint32 nonce) external {
        RebindRequest storage r = _openRequest(commitment, nonce);
        if (msg.sender == _identities[commitment].account) {
            _cancelByAccount(commitment, r, nonce, msg.sender);
            return;
        }
        if (!_officials[msg.sender].active) revert AidRegistryRebindCancelUnauthorized(msg.sender, commitment);
        address[] storage voters = _rebindCancelVoters[commitment][nonce];
        if (_contains(voters, msg.sender)) revert AidRegistryRebindAlreadyVotedToCancel(commitment, msg.sender);
        uint16 votes = _record(commitment, nonce, voters);
        emit RebindCancelVoted(commitment, msg.sender, nonce, votes);
        if (_countCurrentOfficials(voters) >= _rebindThreshold) _cancel(commitment, r, nonce, msg.sender);
    }

    /// @inheritdoc IAidRegistry
    function cancelRebindBySig(bytes32 commitment, uint32 nonce, uint256 deadline, bytes calldata signature)
        external
    {
        RebindRequest storage r = _openRequest(commitment, nonce);
        _requireBeforeDeadline(deadline);
        address account = _identities[commitment].account;
        bytes32 digest =
            _hashTypedDataV4(keccak256(abi.encode(CANCEL_REBIND_TYPEHASH, commitment, nonce, deadline)));
        if (!_isValidSignature(account, digest, signature)) revert AidRegistryInvalidSignature(account);
        _cancelByAccount(commitment, r, nonce, account);
    }

    /// @inheritdoc IAidRegistry
    function executeRebind(bytes32 commitment) external {
        RebindRequest storage r = _rebinds[commitment];
        uint32 nonce = r.nonce;
        if (r.status != RebindStatus.Pending) revert AidRegistryRebindClosed(commitment, nonce, r.status);
        uint40 nowTime = _now();
        if (nowTime >= r.expiresAt) revert AidRegistryRebindExpired(commitment, nonce, r.expiresAt);
        // Counted now, not when approved: an official removed since then no longer counts, and only the
        // requests they approved are affected.
        uint256 approvals = _countCurrentOfficials(_rebindApprovers[commitment][nonce]);
        if (approvals < _rebindThreshold) revert AidRegistryRebindNotApproved(commitment, approvals, _rebindThreshold);
        // readyAt is zero only if the threshold was lowered under existing approvals; one more approval
        // starts the delay then, so lowering the threshold never skips it.
        uint40 readyAt = r.readyAt;
        if (readyAt == 0 || nowTime < readyAt) revert AidRegistryRebindDelayPending(commitment, readyAt);
        address newAccount = r.newAccount;
        _requireBindable(newAccount);

        Identity storage id = _identities[commitment];
        address oldAccount = id.account;
        delete _commitmentOf[oldAccount];
        _commitmentOf[newAccount] = commitment;
        _successors[oldAccount] = newAccount;
        id.account = newAccount;
        id.boundAt = nowTime;
        // The first claim after a re-bind needs a fresh proof by current officials (issue 11, scenario 1).
        ++id.revocationEpoch;
        id.accountVetoWaived = false;
        r.status = RebindStatus.Executed;
        emit IdentityRebound(commitment, oldAccount, newAccount);
    }

    /// @inheritdoc IAidRegistry
    function setAccountVetoWaived(bytes32 commitment, bool waived, bytes32 reasonHash)
        external
        onlyRole(REVIEWER_ROLE)
    {
        Identity storage id = _identities[commitment];
        address account = id.account;
        if (account == address(0)) revert AidRegistryIdentityNotBound(commitment);
        if (id.accountVetoWaived == waived) revert AidRegistryAccountVetoUnchanged(commitment, waived);
        id.accountVetoWaived = waived;
        emit AccountVetoWaiverSet(commitment, account, waived, msg.sender, reasonHash);
    }

    // ---------------------------------------------------------------- attestations

    /// @inheritdoc IAidRegistry
    function attest(bytes32 commitment, bytes32 conditionId, uint40 expiry, bytes32 evidenceHash, uint16 score)
        external
    {
        Official storage o = _officials[msg.sender];
        if (!o.active) revert AidRegistryNotOfficial(msg.sender);
        _attest(commitment, conditionId, expiry, evidenceHash, score);
        ++o.attestations;
    }

    /// @inheritdoc IAidRegistry
    function attestBatch(AttestationInput[] calldata rows) external {
        Official storage o = _officials[msg.sender];
        if (!o.active) revert AidRegistryNotOfficial(msg.sender);
        uint256 n = rows.length;
        for (uint256 i; i < n; ++i) {
            AttestationInput calldata row = rows[i];
            _attest(row.commitment, row.conditionId, row.expiry, row.evidenceHash, row.score);
        }
        // Safe cast: a batch large enough to overflow uint32 cannot fit in a block.
        o.attestations += uint32(n);
    }

    /// @inheritdoc IAidRegistry
    function revoke(bytes32 commitment, bytes32 conditionId, address attester, bytes32 reasonHash) external {
        bool byReviewer = msg.sender != attester;
        if (byReviewer && !hasRole(REVIEWER_ROLE, msg.sender)) {
            revert AidRegistryNotAttesterOrReviewer(msg.sender, attester);
        }
        Attestation storage a = _attestations[commitment][conditionId][attester];
        if (a.expiry == 0) revert AidRegistryAttestationMissing(commitment, conditionId, attester);
        // A reviewer may still bar an attestation its attester already withdrew: the finding is about the
        // attester, not only about this attestation.
        if (a.revoked && (!byReviewer || a.barred)) {
            revert AidRegistryAttestationRevoked(commitment, conditionId, attester);
        }
        if (!a.revoked) {
            a.revoked = true;
            ++_identities[commitment].revocationEpoch;
            ++_officials[attester].attestationsRevoked;
            ++_officials[msg.sender].revocations;
            emit AttestationRevoked(commitment, conditionId, attester, msg.sender, reasonHash);
        }
        if (byReviewer) {
            a.barred = true;
            emit AttesterBarred(commitment, conditionId, attester, msg.sender);
        }
    }

    /// @inheritdoc IAidRegistry
    function liftBar(bytes32 commitment, bytes32 conditionId, address attester, bytes32 reasonHash)
        external
        onlyRole(REVIEWER_ROLE)
    {
        Attestation storage a = _attestations[commitment][conditionId][attester];
        if (!a.barred) revert AidRegistryAttesterNotBarred(commitment, conditionId, attester);
        a.barred = false;
        emit AttesterBarLifted(commitment, conditionId, attester, msg.sender, reasonHash);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IAidRegistry
    function isOfficial(address account) external view returns (bool) {
        return _officials[account].active;
    }

    /// @inheritdoc IAidRegistry
    function official(address account) external view returns (Official memory) {
        return _officials[account];
    }

    /// @inheritdoc IAidRegistry
    function officialProfile(address account) external view returns (OfficialProfile memory) {
        return _profiles[account];
    }

    /// @inheritdoc IAidRegistry
    function officialRemovalEpoch() external view returns (uint32) {
        return _officialRemovalEpoch;
    }

    /// @inheritdoc IAidRegistry
    function identity(bytes32 commitment) external view returns (Identity memory) {
        return _identities[commitment];
    }

    /// @inheritdoc IAidRegistry
    function commitmentOf(address account) external view returns (bytes32) {
        return _commitmentOf[account];
    }

    /// @inheritdoc IAidRegistry
    function successorOf(address account) external view returns (address) {
        return _successors[account];
    }

    /// @inheritdoc IAidRegistry
    function attestation(bytes32 commitment, bytes32 conditionId, address attester)
        external
        view
        returns (Attestation memory)
    {
        return _attestations[commitment][conditionId][attester];
    }

    /// @inheritdoc IAidRegistry
    function rebindRequest(bytes32 commitment) external view returns (RebindRequest memory) {
        return _rebinds[commitment];
    }

    /// @inheritdoc IAidRegistry
    function rebindStatus(bytes32 commitment) external view returns (RebindStatus) {
        RebindRequest storage r = _rebinds[commitment];
        RebindStatus status = _statusOf(r);
        if (status == RebindStatus.Pending && r.readyAt != 0) {
            // Approved only while threshold approvers are still officials (a removal can undo it).
            if (_countCurrentOfficials(_rebindApprovers[commitment][r.nonce]) >= _rebindThreshold) {
                return RebindStatus.Approved;
            }
        }
        return status;
    }

    /// @inheritdoc IAidRegistry
    function rebindApprovers(bytes32 commitment, uint32 nonce) external view returns (address[] memory) {
        return _rebindApprovers[commitment][nonce];
    }

    /// @inheritdoc IAidRegistry
    function rebindCancelVoters(bytes32 commitment, uint32 nonce) external view returns (address[] memory) {
        return _rebindCancelVoters[commitment][nonce];
    }

    /// @inheritdoc IAidRegistry
    function hasApprovedRebind(bytes32 commitment, uint32 nonce, address account) external view returns (bool) {
        return _contains(_rebindApprovers[commitment][nonce], account);
    }

    /// @inheritdoc IAidRegistry
    function rebindPolicy() external view returns (uint8 threshold, uint32 delay) {
        return (_rebindThreshold, _rebindDelay);
    }

    /// @inheritdoc IAidRegistry
    function eligibilityEpoch(bytes32 commitment) external view returns (address account, uint64 epoch) {
        Identity storage id = _identities[commitment];
        return (id.account, _epoch(id.revocationEpoch));
    }

    /// @inheritdoc IAidRegistry
    function verifyConditions(
        bytes32 commitment,
        bytes32[] calldata conditions,
        uint8 threshold,
        address[] calldata attesters
    ) external view returns (uint40 eligibleUntil, uint64 epoch) {
        uint256 k = threshold;
        if (attesters.length != conditions.length * k || attesters.length == 0) {
            revert AidRegistryWrongAttesterCount(conditions.length * k, attesters.length);
        }
        eligibleUntil = type(uint40).max;
        // Bounded by the escrow's MAX_CONDITIONS x MAX_THRESHOLD; the list comes from the caller, not
        // from storage, so it never grows with the number of households or officials.
        for (uint256 i; i < conditions.length; ++i) {
            uint40 until = _conditionHeldUntil(commitment, conditions[i], attesters[i * k:(i + 1) * k]);
            if (until < eligibleUntil) eligibleUntil = until;
        }
        epoch = _epoch(_identities[commitment].revocationEpoch);
    }

    // ---------------------------------------------------------------- internal

    /// @dev Outside the local chain a new default admin must again be a timelock with the floor delay
    /// (or zero, to renounce): a transfer cannot route around the public delay.
    function _beginDefaultAdminTransfer(address newAdmin) internal override {
        if (newAdmin != address(0) && block.chainid != LOCAL_CHAIN_ID) _requireTimelock(newAdmin);
        super._beginDefaultAdminTransfer(newAdmin);
    }

    function _attest(bytes32 commitment, bytes32 conditionId, uint40 expiry, bytes32 evidenceHash, uint16 score)
        private
    {
        if (commitment == bytes32(0)) revert AidRegistryZeroValue("commitment");
        if (conditionId == bytes32(0)) revert AidRegistryZeroValue("conditionId");
        uint40 nowTime = _now();
        if (expiry <= nowTime) revert AidRegistryExpiryInPast(expiry, nowTime);
        Attestation storage a = _attestations[commitment][conditionId][msg.sender];
        if (a.barred) revert AidRegistryAttesterBarred(commitment, conditionId, msg.sender);
        // A renewal that shortens a live attestation weakens cached proofs just as a revocation does.
        if (a.expiry > expiry && !a.revoked) ++_identities[commitment].revocationEpoch;
        a.expiry = expiry;
        a.attestedAt = nowTime;
        a.score = score;
        a.revoked = false;
        emit ConditionAttested(commitment, conditionId, msg.sender, expiry, evidenceHash, score);
    }

    /// @dev The earliest expiry among `attesters`' attestations of one condition, or why it does not hold.
    function _conditionHeldUntil(bytes32 commitment, bytes32 conditionId, address[] calldata attesters)
        private
        view
        returns (uint40 until)
    {
        uint40 nowTime = _now();
        until = type(uint40).max;
        address previous = address(0);
        for (uint256 j; j < attesters.length; ++j) {
            address attester = attesters[j];
            // Strictly ascending proves distinctness in one pass (k-of-n must be k different people).
            if (attester <= previous) revert AidRegistryAttestersNotAscending(conditionId, attester);
            previous = attester;
            uint40 expiry = _validExpiry(commitment, conditionId, attester, nowTime);
            if (expiry < until) until = expiry;
        }
    }

    /// @dev The expiry of an attestation that counts now, or the reason it does not.
    function _validExpiry(bytes32 commitment, bytes32 conditionId, address attester, uint40 nowTime)
        private
        view
        returns (uint40)
    {
        _requireOfficial(attester);
        Attestation memory a = _attestations[commitment][conditionId][attester];
        if (a.expiry == 0) revert AidRegistryAttestationMissing(commitment, conditionId, attester);
        if (a.revoked) revert AidRegistryAttestationRevoked(commitment, conditionId, attester);
        if (nowTime >= a.expiry) revert AidRegistryAttestationExpired(commitment, conditionId, attester, a.expiry);
        return a.expiry;
    }

    /// @dev Exactly `threshold` distinct current officials, strictly ascending, each with a valid signature
    /// of `digest` (mirrors a roster's root approval).
    function _requireOfficialSignatures(bytes32 digest, address[] calldata officials, bytes[] calldata signatures)
        private
        view
    {
        uint256 k = _rebindThreshold;
        if (officials.length != k || signatures.length != k) {
            revert AidRegistryWrongSignatureCount(k, officials.length, signatures.length);
        }
        address previous;
        for (uint256 i; i < k; ++i) {
            address signer = officials[i];
            if (signer <= previous) revert AidRegistrySignersNotAscending(i, signer);
            previous = signer;
            _requireOfficial(signer);
            if (!_isValidSignature(signer, digest, signatures[i])) revert AidRegistryInvalidSignature(signer);
        }
    }

    /// @dev ECDSA first, then ERC-1271 through OpenZeppelin's SignatureChecker, as the roster programme
    /// does: a signature that recovers to the signer's own address can only come from the holder of its
    /// key, and trying it first spares EOAs the cold code-size read SignatureChecker starts with.
    function _isValidSignature(address signer, bytes32 digest, bytes calldata signature) private view returns (bool) {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == signer) return true;
        return SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, signature);
    }

    /// @dev The request `nonce` of `commitment`, if it is the current one and still open.
    function _openRequest(bytes32 commitment, uint32 nonce) private view returns (RebindRequest storage r) {
        r = _rebinds[commitment];
        if (nonce != r.nonce) revert AidRegistryRebindRequestMismatch(commitment, nonce, r.nonce);
        if (r.status != RebindStatus.Pending) revert AidRegistryRebindClosed(commitment, nonce, r.status);
        if (_now() >= r.expiresAt) revert AidRegistryRebindExpired(commitment, nonce, r.expiresAt);
    }

    /// @dev The stored status with Expired derived from time (Approved needs the approvers; see rebindStatus).
    function _statusOf(RebindRequest storage r) private view returns (RebindStatus status) {
        status = r.status;
        if (status == RebindStatus.Pending && _now() >= r.expiresAt) status = RebindStatus.Expired;
    }

    function _approveRebind(bytes32 commitment, RebindRequest storage r, uint32 nonce) private {
        address[] storage approvers = _rebindApprovers[commitment][nonce];
        if (_contains(approvers, msg.sender)) revert AidRegistryRebindAlreadyApproved(commitment, msg.sender);
        uint16 approvals = _record(commitment, nonce, approvers);
        uint40 readyAt = r.readyAt;
        // The delay starts when the threshold in force is first met by current officials, so a late
        // approval cannot shorten it; the request then stays executable for REBIND_WINDOW after readyAt.
        if (readyAt == 0 && _countCurrentOfficials(approvers) >= _rebindThreshold) {
            readyAt = _now() + _rebindDelay;
            r.readyAt = readyAt;
            r.expiresAt = readyAt + REBIND_WINDOW;
        }
        emit RebindApproved(commitment, msg.sender, nonce, approvals, readyAt);
    }

    function _cancelByAccount(bytes32 commitment, RebindRequest storage r, uint32 nonce, address account) private {
        if (_identities[commitment].accountVetoWaived) revert AidRegistryAccountVetoWaived(commitment, account);
        _cancel(commitment, r, nonce, account);
    }

    function _cancel(bytes32 commitment, RebindRequest storage r, uint32 nonce, address by) private {
        r.status = RebindStatus.Cancelled;
        emit RebindCancelled(commitment, nonce, by);
    }

    /// @dev Appends the caller to a request's bounded list and returns the new length.
    function _record(bytes32 commitment, uint32 nonce, address[] storage list) private returns (uint16) {
        uint256 n = list.length;
        if (n == MAX_REBIND_VOTES) revert AidRegistryRebindVotesFull(commitment, nonce, MAX_REBIND_VOTES);
        list.push(msg.sender);
        // Safe cast: bounded by MAX_REBIND_VOTES.
        return uint16(n + 1);
    }

    /// @dev Bounded by MAX_REBIND_VOTES: the list is of one request's voters, never of all officials.
    function _contains(address[] storage list, address account) private view returns (bool) {
        uint256 n = list.length;
        for (uint256 i; i < n; ++i) {
            if (list[i] == account) return true;
        }
        return false;
    }

    /// @dev How many of a request's voters are current officials (bounded by MAX_REBIND_VOTES).
    function _countCurrentOfficials(address[] storage list) private view returns (uint256 count) {
        uint256 n = list.length;
        for (uint256 i; i < n; ++i) {
            if (_officials[list[i]].active) ++count;
        }
    }

    function _setRebindPolicy(uint8 threshold, uint32 delay) private {
        if (threshold < MIN_THRESHOLD || threshold > MAX_THRESHOLD) {
            revert AidRegistryInvalidRebindThreshold(threshold, MIN_THRESHOLD, MAX_THRESHOLD);
        }
        uint32 minDelay = block.chainid == LOCAL_CHAIN_ID ? 0 : MIN_PUBLIC_DELAY;
        if (delay < minDelay || delay > MAX_REBIND_DELAY) {
            revert AidRegistryRebindDelayOutOfRange(delay, minDelay, MAX_REBIND_DELAY);
        }
        _rebindThreshold = threshold;
        _rebindDelay = delay;
        emit RebindPolicyUpdated(threshold, delay);
    }

    function _setProfile(address account, OfficialProfile calldata profile) private {
        if (bytes(profile.name).length == 0) revert AidRegistryZeroValue("name");
        _requireShort("name", profile.name);
        _requireShort("office", profile.office);
        _requireShort("jurisdiction", profile.jurisdiction);
        _profiles[account] = profile;
        emit OfficialProfileSet(account, profile.name, profile.office, profile.jurisdiction);
    }

    function _requireShort(string memory field, string calldata value) private pure {
        uint256 length = bytes(value).length;
        if (length > MAX_PROFILE_FIELD_LENGTH) {
            revert AidRegistryProfileFieldTooLong(field, length, MAX_PROFILE_FIELD_LENGTH);
        }
    }

    function _requireOfficial(address account) private view {
        if (!_officials[account].active) revert AidRegistryNotOfficial(account);
    }

    /// @dev An account can be bound only if it pays no commitment now and was never replaced by a re-bind
    /// (a lost or stolen key must never receive aid again).
    function _requireBindable(address account) private view {
        bytes32 existing = _commitmentOf[account];
        if (existing != bytes32(0)) revert AidRegistryAccountAlreadyBound(account, existing);
        address successor = _successors[account];
        if (successor != address(0)) revert AidRegistryAccountRetired(account, successor);
    }

    function _requireBeforeDeadline(uint256 deadline) private view {
        uint40 nowTime = _now();
        if (nowTime >= deadline) revert AidRegistrySignatureExpired(deadline, nowTime);
    }

    /// @dev The constructor's admin: a direct one on the local chain only, otherwise the timelock, which
    /// outside the local chain must keep every admin action public for at least MIN_PUBLIC_DELAY.
    function _initialAdmin(address admin, address timelock) private view returns (address) {
        bool local = block.chainid == LOCAL_CHAIN_ID;
        if (admin != address(0)) {
            if (!local) revert AidRegistryDirectAdminOutsideLocalChain(admin, block.chainid);
            return admin;
        }
        if (!local) _requireTimelock(timelock);
        return timelock;
    }

    /// @dev A low-level call, so an account without code or without getMinDelay() gets our error rather
    /// than an empty revert.
    function _requireTimelock(address timelock) private view {
        (bool ok, bytes memory data) = timelock.staticcall(abi.encodeCall(TimelockController.getMinDelay, ()));
        if (!ok || data.length != 32) revert AidRegistryAdminNotTimelock(timelock);
        uint256 delay = abi.decode(data, (uint256));
        if (delay < MIN_PUBLIC_DELAY) revert AidRegistryAdminDelayTooShort(timelock, delay, MIN_PUBLIC_DELAY);
    }

    /// @dev The per-household epoch (revocations, shortened attestations, re-binds) in the high half, the
    /// global official-removal epoch in the low half: a change of either invalidates a cached proof.
    function _epoch(uint32 revocationEpoch) private view returns (uint64) {
        return (uint64(revocationEpoch) << 32) | _officialRemovalEpoch;
    }

    /// @dev The single place time is read, so tests and reviewers have one thing to reason about.
    function _now() private view returns (uint40) {
        return uint40(block.timestamp);
    }
}
