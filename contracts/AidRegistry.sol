// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IAidRegistry} from "./interfaces/IAidRegistry.sol";
import {Identity, Attestation, Official, RebindRequest, AttestationInput} from "./interfaces/AidTypes.sol";

/// @title AidRegistry
/// @notice Roles, officials, household identities and attestations for PrecisionAid.
/// @dev One admin (AccessControlDefaultAdminRules: two-step transfer with a delay) appoints officials
/// and grants the manager, reviewer and guardian roles. Officials are kept in a record of their own,
/// not as an AccessControl role, so an attestation reads and writes a single slot for the check and
/// the counters (see docs/DECISIONS.md). The registry never holds funds.
contract AidRegistry is AccessControlDefaultAdminRules, IAidRegistry {
    /// @inheritdoc IAidRegistry
    bytes32 public constant MANAGER_ROLE = keccak256("precisionaid.role.manager");
    /// @inheritdoc IAidRegistry
    bytes32 public constant REVIEWER_ROLE = keccak256("precisionaid.role.reviewer");
    /// @inheritdoc IAidRegistry
    bytes32 public constant GUARDIAN_ROLE = keccak256("precisionaid.role.guardian");

    uint32 private _officialRemovalEpoch;
    uint8 private _rebindThreshold;
    uint32 private _rebindDelay;

    mapping(address account => Official) private _officials;
    mapping(bytes32 commitment => Identity) private _identities;
    mapping(address account => bytes32 commitment) private _commitmentOf;
    mapping(bytes32 commitment => RebindRequest) private _rebinds;
    mapping(bytes32 commitment => mapping(uint32 nonce => mapping(address official => bool))) private _rebindApproved;
    mapping(bytes32 commitment => mapping(bytes32 conditionId => mapping(address official => Attestation))) private
        _attestations;

    modifier onlyOfficial() {
        _requireOfficial(msg.sender);
        _;
    }

    /// @param admin the single default admin
    /// @param adminTransferDelay seconds a default-admin transfer must wait
    /// @param rebindThreshold distinct officials needed to move a household to a new account
    /// @param rebindDelay seconds between reaching the threshold and executing a rebind
    constructor(address admin, uint48 adminTransferDelay, uint8 rebindThreshold, uint32 rebindDelay)
        AccessControlDefaultAdminRules(adminTransferDelay, admin)
    {
        _setRebindPolicy(rebindThreshold, rebindDelay);
    }

    // ---------------------------------------------------------------- officials

    /// @inheritdoc IAidRegistry
    function addOfficial(address account) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (account == address(0)) revert AidRegistryZeroValue();
        Official storage o = _officials[account];
        if (o.active) revert AidRegistryOfficialAlreadyActive(account);
        o.active = true;
        o.appointedAt = _now();
        emit OfficialAdded(account, msg.sender);
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
    function bindIdentity(bytes32 commitment, address account) external onlyOfficial {
        if (commitment == bytes32(0) || account == address(0)) revert AidRegistryZeroValue();
        Identity storage id = _identities[commitment];
        if (id.account != address(0)) revert AidRegistryCommitmentAlreadyBound(commitment, id.account);
        _requireUnbound(account);
        id.account = account;
        id.boundAt = _now();
        _commitmentOf[account] = commitment;
        emit IdentityBound(commitment, account, msg.sender);
    }

    /// @inheritdoc IAidRegistry
    function requestRebind(bytes32 commitment, address newAccount) external onlyOfficial {
        if (newAccount == address(0)) revert AidRegistryZeroValue();
        if (_identities[commitment].account == address(0)) revert AidRegistryIdentityNotBound(commitment);
        _requireUnbound(newAccount);
        RebindRequest storage r = _rebinds[commitment];
        uint32 nonce = r.nonce + 1;
        r.newAccount = newAccount;
        r.nonce = nonce;
        r.approvals = 0;
        r.readyAt = 0;
        r.officialEpoch = _officialRemovalEpoch;
        emit RebindRequested(commitment, newAccount, msg.sender, nonce);
        _approveRebind(commitment, r, nonce);
    }

    /// @inheritdoc IAidRegistry
    function approveRebind(bytes32 commitment, uint32 nonce) external onlyOfficial {
        RebindRequest storage r = _rebinds[commitment];
        if (r.newAccount == address(0) || r.nonce != nonce) {
            revert AidRegistryRebindRequestMismatch(commitment, nonce, r.nonce);
        }
        _approveRebind(commitment, r, nonce);
    }

    /// @inheritdoc IAidRegistry
    function executeRebind(bytes32 commitment) external {
        RebindRequest memory r = _rebinds[commitment];
        if (r.newAccount == address(0)) revert AidRegistryRebindRequestMismatch(commitment, 0, r.nonce);
        if (r.approvals < _rebindThreshold) {
            revert AidRegistryRebindNotApproved(commitment, r.approvals, _rebindThreshold);
        }
        // Approvals are counted per request; a removal since then may have voided one of them.
        if (r.officialEpoch != _officialRemovalEpoch) {
            revert AidRegistryRebindStale(commitment, r.officialEpoch, _officialRemovalEpoch);
        }
        // readyAt is zero only if the threshold was lowered under existing approvals; one more
        // approval starts the delay then, so lowering the threshold never skips it.
        if (r.readyAt == 0 || _now() < r.readyAt) revert AidRegistryRebindDelayPending(commitment, r.readyAt);
        _requireUnbound(r.newAccount);

        Identity storage id = _identities[commitment];
        address oldAccount = id.account;
        delete _commitmentOf[oldAccount];
        _commitmentOf[r.newAccount] = commitment;
        id.account = r.newAccount;
        id.boundAt = _now();
        // Keep the nonce so approvals of the executed request can never be reused.
        _rebinds[commitment].newAccount = address(0);
        emit IdentityRebound(commitment, oldAccount, r.newAccount);
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
        if (msg.sender != attester && !hasRole(REVIEWER_ROLE, msg.sender)) {
            revert AidRegistryNotAttesterOrReviewer(msg.sender, attester);
        }
        Attestation storage a = _attestations[commitment][conditionId][attester];
        if (a.expiry == 0) revert AidRegistryAttestationMissing(commitment, conditionId, attester);
        if (a.revoked) revert AidRegistryAttestationRevoked(commitment, conditionId, attester);
        a.revoked = true;
        ++_identities[commitment].revocationEpoch;
        ++_officials[attester].attestationsRevoked;
        ++_officials[msg.sender].revocations;
        emit AttestationRevoked(commitment, conditionId, attester, msg.sender, reasonHash);
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
    function hasApprovedRebind(bytes32 commitment, uint32 nonce, address account) external view returns (bool) {
        return _rebindApproved[commitment][nonce][account];
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

    function _attest(bytes32 commitment, bytes32 conditionId, uint40 expiry, bytes32 evidenceHash, uint16 score)
        private
    {
        if (commitment == bytes32(0) || conditionId == bytes32(0)) revert AidRegistryZeroValue();
        uint40 nowTime = _now();
        if (expiry <= nowTime) revert AidRegistryExpiryInPast(expiry, nowTime);
        Attestation storage a = _attestations[commitment][conditionId][msg.sender];
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

    function _approveRebind(bytes32 commitment, RebindRequest storage r, uint32 nonce) private {
        if (_rebindApproved[commitment][nonce][msg.sender]) {
            revert AidRegistryRebindAlreadyApproved(commitment, msg.sender);
        }
        _rebindApproved[commitment][nonce][msg.sender] = true;
        uint16 approvals = ++r.approvals;
        // The delay starts when the threshold is first met, so a late approval cannot shorten it.
        if (approvals >= _rebindThreshold && r.readyAt == 0) r.readyAt = _now() + _rebindDelay;
        emit RebindApproved(commitment, msg.sender, nonce, approvals, r.readyAt);
    }

    function _setRebindPolicy(uint8 threshold, uint32 delay) private {
        if (threshold == 0) revert AidRegistryInvalidRebindThreshold(threshold);
        _rebindThreshold = threshold;
        _rebindDelay = delay;
        emit RebindPolicyUpdated(threshold, delay);
    }

    function _requireOfficial(address account) private view {
        if (!_officials[account].active) revert AidRegistryNotOfficial(account);
    }

    function _requireUnbound(address account) private view {
        bytes32 existing = _commitmentOf[account];
        if (existing != bytes32(0)) revert AidRegistryAccountAlreadyBound(account, existing);
    }

    /// @dev The per-household revocation epoch in the high half, the global official-removal epoch in
    /// the low half: a change of either invalidates a cached proof.
    function _epoch(uint32 revocationEpoch) private view returns (uint64) {
        return (uint64(revocationEpoch) << 32) | _officialRemovalEpoch;
    }

    /// @dev The single place time is read, so tests and reviewers have one thing to reason about.
    function _now() private view returns (uint40) {
        return uint40(block.timestamp);
    }
}
