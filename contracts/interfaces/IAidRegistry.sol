// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Identity, Attestation, Official, RebindRequest, AttestationInput} from "./AidTypes.sol";

/// @title PrecisionAid registry: roles, officials, household identities and attestations
/// @notice Holds who may do what, which address each household (a salted identity commitment) is paid
/// at, and which officials attested which conditions. No personal data is stored: only commitments,
/// condition ids, expiries, scores and (in events) evidence hashes.
/// @dev Every window, expiry and deadline in PrecisionAid is half-open: a thing valid "until t" is valid
/// while block.timestamp < t.
interface IAidRegistry is IAccessControl {
    // ---------------------------------------------------------------- events

    /// @notice `account` was appointed an official by `admin`.
    event OfficialAdded(address indexed account, address indexed admin);
    /// @notice `account` stopped being an official; every eligibility proven with them is re-checked.
    /// @param removalEpoch the new official-removal epoch
    event OfficialRemoved(address indexed account, address indexed admin, uint32 removalEpoch);
    /// @notice A household commitment was bound to its first account.
    event IdentityBound(bytes32 indexed commitment, address indexed account, address indexed official);
    /// @notice An official asked to move `commitment` to `newAccount` (request number `nonce`).
    event RebindRequested(bytes32 indexed commitment, address indexed newAccount, address indexed official, uint32 nonce);
    /// @notice An official approved rebind request `nonce`; `readyAt` is non-zero once the threshold is met.
    event RebindApproved(bytes32 indexed commitment, address indexed official, uint32 nonce, uint16 approvals, uint40 readyAt);
    /// @notice The commitment now pays `newAccount` instead of `oldAccount`.
    event IdentityRebound(bytes32 indexed commitment, address indexed oldAccount, address indexed newAccount);
    /// @notice The admin changed how many officials and how long a rebind needs.
    event RebindPolicyUpdated(uint8 threshold, uint32 delay);
    /// @notice `official` attests that `commitment` meets `conditionId` until `expiry`.
    /// @param evidenceHash hash of the off-chain evidence, published so the basis can be checked
    /// @param score optional score or band behind the decision (0 = none)
    event ConditionAttested(
        bytes32 indexed commitment,
        bytes32 indexed conditionId,
        address indexed official,
        uint40 expiry,
        bytes32 evidenceHash,
        uint16 score
    );
    /// @notice `revokedBy` revoked `attester`'s attestation, e.g. because the household left poverty.
    event AttestationRevoked(
        bytes32 indexed commitment,
        bytes32 indexed conditionId,
        address indexed attester,
        address revokedBy,
        bytes32 reasonHash
    );

    // ---------------------------------------------------------------- errors

    /// @notice The caller must be a current official.
    error AidRegistryNotOfficial(address account);
    /// @notice `account` is already a current official.
    error AidRegistryOfficialAlreadyActive(address account);
    /// @notice The caller holds neither the attestation nor the reviewer role.
    error AidRegistryNotAttesterOrReviewer(address caller, address attester);
    /// @notice Zero is not a valid commitment, condition id or account.
    error AidRegistryZeroValue();
    /// @notice The commitment already has an account; use a rebind.
    error AidRegistryCommitmentAlreadyBound(bytes32 commitment, address account);
    /// @notice The account already pays another commitment.
    error AidRegistryAccountAlreadyBound(address account, bytes32 commitment);
    /// @notice The commitment has no account yet.
    error AidRegistryIdentityNotBound(bytes32 commitment);
    /// @notice The rebind request referred to is not the current one.
    error AidRegistryRebindRequestMismatch(bytes32 commitment, uint32 nonce, uint32 currentNonce);
    /// @notice This official already approved this rebind request.
    error AidRegistryRebindAlreadyApproved(bytes32 commitment, address official);
    /// @notice Not enough distinct officials approved the rebind.
    error AidRegistryRebindNotApproved(bytes32 commitment, uint16 approvals, uint8 threshold);
    /// @notice The rebind delay has not passed.
    error AidRegistryRebindDelayPending(bytes32 commitment, uint40 readyAt);
    /// @notice An official was removed after the request; approvals must be gathered again.
    error AidRegistryRebindStale(bytes32 commitment, uint32 requestEpoch, uint32 currentEpoch);
    /// @notice A rebind needs at least one official.
    error AidRegistryInvalidRebindThreshold(uint8 threshold);
    /// @notice The expiry must be in the future.
    error AidRegistryExpiryInPast(uint40 expiry, uint256 nowTime);
    /// @notice No attestation by `attester` exists for this commitment and condition.
    error AidRegistryAttestationMissing(bytes32 commitment, bytes32 conditionId, address attester);
    /// @notice The attestation was revoked.
    error AidRegistryAttestationRevoked(bytes32 commitment, bytes32 conditionId, address attester);
    /// @notice The attestation expired at `expiry`.
    error AidRegistryAttestationExpired(bytes32 commitment, bytes32 conditionId, address attester, uint40 expiry);
    /// @notice An eligibility proof must list exactly `expected` attesters (conditions x threshold).
    error AidRegistryWrongAttesterCount(uint256 expected, uint256 actual);
    /// @notice Attesters of one condition must be listed in strictly ascending order, which proves they are distinct.
    error AidRegistryAttestersNotAscending(bytes32 conditionId, address attester);

    // ---------------------------------------------------------------- officials (admin)

    /// @notice Appoints an official. Only the default admin.
    function addOfficial(address account) external;

    /// @notice Removes an official. Their attestations stop counting at once: every cached eligibility is
    /// re-proven at the next claim (see docs/DECISIONS.md, "Removed officials"). Only the default admin.
    function removeOfficial(address account) external;

    /// @notice Sets how many distinct officials and how long a rebind needs. Only the default admin.
    function setRebindPolicy(uint8 threshold, uint32 delay) external;

    // ---------------------------------------------------------------- identities (officials)

    /// @notice Binds a household's commitment to its first account. Only officials.
    /// @param commitment keccak256 of the household's identity and a secret salt, computed off chain
    function bindIdentity(bytes32 commitment, address account) external;

    /// @notice Opens a request to move `commitment` to `newAccount`; counts as the caller's approval.
    /// A new request replaces (and resets the approvals of) any earlier one. Only officials.
    function requestRebind(bytes32 commitment, address newAccount) external;

    /// @notice Approves rebind request `nonce`. The delay starts when the threshold is met. Only officials.
    function approveRebind(bytes32 commitment, uint32 nonce) external;

    /// @notice Executes an approved rebind after its delay. Anyone may call.
    function executeRebind(bytes32 commitment) external;

    // ---------------------------------------------------------------- attestations (officials)

    /// @notice Attests that `commitment` meets `conditionId` until `expiry`. Re-attesting renews.
    /// Only officials.
    function attest(bytes32 commitment, bytes32 conditionId, uint40 expiry, bytes32 evidenceHash, uint16 score)
        external;

    /// @notice Attests many rows at once (village rounds). All-or-nothing. Only officials.
    function attestBatch(AttestationInput[] calldata rows) external;

    /// @notice Revokes `attester`'s attestation. Callable by the attester or a reviewer.
    function revoke(bytes32 commitment, bytes32 conditionId, address attester, bytes32 reasonHash) external;

    // ---------------------------------------------------------------- views

    /// @notice Role ids (AccessControl) for programme managers, reviewers (auditors) and the pause guardian.
    function MANAGER_ROLE() external view returns (bytes32);
    function REVIEWER_ROLE() external view returns (bytes32);
    function GUARDIAN_ROLE() external view returns (bytes32);

    /// @notice Whether `account` is a current official.
    function isOfficial(address account) external view returns (bool);

    /// @notice An official's standing and record.
    function official(address account) external view returns (Official memory);

    /// @notice Bumped by every official removal.
    function officialRemovalEpoch() external view returns (uint32);

    /// @notice The identity bound to a commitment.
    function identity(bytes32 commitment) external view returns (Identity memory);

    /// @notice The commitment an account is bound to (zero if none).
    function commitmentOf(address account) external view returns (bytes32);

    /// @notice An attestation by `attester` (zeroed if none).
    function attestation(bytes32 commitment, bytes32 conditionId, address attester)
        external
        view
        returns (Attestation memory);

    /// @notice The current rebind request of a commitment.
    function rebindRequest(bytes32 commitment) external view returns (RebindRequest memory);

    /// @notice Whether `official` approved rebind request `nonce` of `commitment`.
    function hasApprovedRebind(bytes32 commitment, uint32 nonce, address official) external view returns (bool);

    /// @notice The rebind threshold and delay.
    function rebindPolicy() external view returns (uint8 threshold, uint32 delay);

    /// @notice The bound account and the eligibility epoch of a commitment. The epoch changes whenever a
    /// proof of eligibility may have stopped holding for a reason other than time (a revocation or
    /// shortened attestation about this commitment, or any official's removal), so a cached proof is
    /// valid exactly while its epoch equals this one and time is before its earliest expiry.
    function eligibilityEpoch(bytes32 commitment) external view returns (address account, uint64 epoch);

    /// @notice Proves that `commitment` meets every condition now, each attested by `threshold` distinct
    /// current officials with valid attestations. Reverts with the first reason it does not.
    /// @param attesters conditions.length x threshold addresses: condition i's attesters at
    /// [i*threshold, (i+1)*threshold), strictly ascending within each group
    /// @return eligibleUntil the earliest expiry among the attestations used
    /// @return epoch the eligibility epoch the proof was made under
    function verifyConditions(
        bytes32 commitment,
        bytes32[] calldata conditions,
        uint8 threshold,
        address[] calldata attesters
    ) external view returns (uint40 eligibleUntil, uint64 epoch);
}
