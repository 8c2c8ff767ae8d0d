// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {
    Identity,
    Attestation,
    Official,
    OfficialProfile,
    RebindRequest,
    RebindStatus,
    AttestationInput
} from "./AidTypes.sol";

/// @title PrecisionAid registry: roles, officials, household identities and attestations
/// @notice Holds who may do what, which address each household (a salted identity commitment) is paid
/// at, and which officials attested which conditions. No personal data of households is stored: only
/// commitments, condition ids, expiries, scores and (in events) evidence hashes.
/// @dev Every window, expiry and deadline in PrecisionAid is half-open: a thing valid "until t" is valid
/// while block.timestamp < t. No single account can change which account a household is paid at:
/// binding and re-binding need `threshold` distinct current officials, a re-bind also a public delay that
/// the household's bound account can use to cancel it, and every admin action waits the admin
/// timelock's public delay (outside the local chain the registry refuses any other admin). The threat
/// model is docs/THREATS.md.
interface IAidRegistry is IAccessControl, IERC5267 {
    // ---------------------------------------------------------------- events

    /// @notice `account` was appointed an official by `admin` (the admin timelock, once its delay passed).
    event OfficialAdded(address indexed account, address indexed admin);
    /// @notice `account` stopped being an official; every eligibility proven with them is re-checked, and
    /// their approvals of pending re-binds stop counting.
    /// @param removalEpoch the new official-removal epoch
    event OfficialRemoved(address indexed account, address indexed admin, uint32 removalEpoch);
    /// @notice An official's public profile was recorded (on appointment) or replaced.
    event OfficialProfileSet(address indexed account, string name, string office, string jurisdiction);
    /// @notice A household commitment was bound to its first account with the signatures of `officials`.
    /// @param officials the approving officials, strictly ascending
    event IdentityBound(bytes32 indexed commitment, address indexed account, address[] officials);
    /// @notice `official` asked to move `commitment` to `newAccount` (request number `nonce`).
    /// @param expiresAt approvals are accepted while now < expiresAt (moved on once the threshold is met)
    event RebindRequested(
        bytes32 indexed commitment, address indexed newAccount, address indexed official, uint32 nonce, uint40 expiresAt
    );
    /// @notice `official` approved re-bind request `nonce`; `readyAt` is non-zero once `threshold` current
    /// officials approved.
    /// @param approvals officials recorded as approving so far (removed ones included)
    event RebindApproved(
        bytes32 indexed commitment, address indexed official, uint32 nonce, uint16 approvals, uint40 readyAt
    );
    /// @notice `official` voted to cancel re-bind request `nonce`; `threshold` current officials cancel it.
    /// @param votes officials recorded as voting to cancel so far (removed ones included)
    event RebindCancelVoted(bytes32 indexed commitment, address indexed official, uint32 nonce, uint16 votes);
    /// @notice Re-bind request `nonce` was cancelled by the bound account or by the official whose vote
    /// completed the threshold.
    event RebindCancelled(bytes32 indexed commitment, uint32 nonce, address indexed cancelledBy);
    /// @notice The commitment now pays `newAccount` instead of `oldAccount`; `successorOf(oldAccount)` is
    /// `newAccount` from now on, and the eligibility epoch moved (the next claim needs a fresh proof).
    event IdentityRebound(bytes32 indexed commitment, address indexed oldAccount, address indexed newAccount);
    /// @notice The admin changed how many officials binding and re-binding need, and the re-bind delay.
    event RebindPolicyUpdated(uint8 threshold, uint32 delay);
    /// @notice A reviewer ruled that the account bound to `commitment` may (`waived` false) or may not
    /// (`waived` true) cancel re-binds of it, e.g. because the phone was stolen unlocked.
    event AccountVetoWaiverSet(
        bytes32 indexed commitment, address indexed account, bool waived, address indexed reviewer, bytes32 reasonHash
    );
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
    /// @notice A reviewer's revocation barred `attester` from attesting (`commitment`, `conditionId`) again.
    event AttesterBarred(
        bytes32 indexed commitment, bytes32 indexed conditionId, address indexed attester, address reviewer
    );
    /// @notice A reviewer lifted `attester`'s bar on (`commitment`, `conditionId`).
    event AttesterBarLifted(
        bytes32 indexed commitment,
        bytes32 indexed conditionId,
        address indexed attester,
        address reviewer,
        bytes32 reasonHash
    );

    // ---------------------------------------------------------------- errors

    /// @notice The caller (or a listed signer or approver) must be a current official.
    error AidRegistryNotOfficial(address account);
    /// @notice `account` is already a current official.
    error AidRegistryOfficialAlreadyActive(address account);
    /// @notice The caller holds neither the attestation nor the reviewer role.
    error AidRegistryNotAttesterOrReviewer(address caller, address attester);
    /// @notice `field` (e.g. "commitment", "account", "conditionId", "newAccount", "name") may not be zero or empty.
    error AidRegistryZeroValue(string field);
    /// @notice The commitment already has an account; use a re-bind.
    error AidRegistryCommitmentAlreadyBound(bytes32 commitment, address account);
    /// @notice The account already pays another commitment.
    error AidRegistryAccountAlreadyBound(address account, bytes32 commitment);
    /// @notice The account was replaced by a re-bind (a lost or stolen key) and may never be bound again.
    error AidRegistryAccountRetired(address account, address successor);
    /// @notice The commitment has no account yet.
    error AidRegistryIdentityNotBound(bytes32 commitment);
    /// @notice The re-bind request referred to is not the commitment's current one.
    error AidRegistryRebindRequestMismatch(bytes32 commitment, uint32 nonce, uint32 currentNonce);
    /// @notice The re-bind request is not pending (never opened, executed or cancelled).
    error AidRegistryRebindClosed(bytes32 commitment, uint32 nonce, RebindStatus status);
    /// @notice The re-bind request expired at `expiresAt`; open a new one.
    error AidRegistryRebindExpired(bytes32 commitment, uint32 nonce, uint40 expiresAt);
    /// @notice A request is already pending for this commitment until `expiresAt`: approve it, or have it
    /// cancelled (by the bound account or by threshold officials), before opening another.
    error AidRegistryRebindPending(bytes32 commitment, uint32 nonce, uint40 expiresAt);
    /// @notice `official` opened request `closedNonce`, which was cancelled or expired: another official
    /// must open the next one, so one official cannot hold a household's recovery hostage.
    error AidRegistryRebindRequesterRepeats(bytes32 commitment, address official, uint32 closedNonce);
    /// @notice This official already approved this re-bind request.
    error AidRegistryRebindAlreadyApproved(bytes32 commitment, address official);
    /// @notice This official already voted to cancel this re-bind request.
    error AidRegistryRebindAlreadyVotedToCancel(bytes32 commitment, address official);
    /// @notice The request's list of approvers (or cancel voters) is full.
    error AidRegistryRebindVotesFull(bytes32 commitment, uint32 nonce, uint256 max);
    /// @notice Fewer than `threshold` of the approvers are current officials.
    error AidRegistryRebindNotApproved(bytes32 commitment, uint256 approvals, uint8 threshold);
    /// @notice The re-bind delay has not passed (`readyAt` 0: the threshold in force was never met by an approval).
    error AidRegistryRebindDelayPending(bytes32 commitment, uint40 readyAt);
    /// @notice Only the commitment's bound account or a current official may cancel its re-bind.
    error AidRegistryRebindCancelUnauthorized(address caller, bytes32 commitment);
    /// @notice A reviewer waived this bound account's power to cancel re-binds.
    error AidRegistryAccountVetoWaived(bytes32 commitment, address account);
    /// @notice The account's veto is already in the state asked for.
    error AidRegistryAccountVetoUnchanged(bytes32 commitment, bool waived);
    /// @notice Binding and re-binding need `min`..`max` officials.
    error AidRegistryInvalidRebindThreshold(uint8 threshold, uint8 min, uint8 max);
    /// @notice The re-bind delay must lie in [`min`, `max`] seconds (`min` is 0 on the local chain only).
    error AidRegistryRebindDelayOutOfRange(uint32 delay, uint32 min, uint32 max);
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
    /// @notice A reviewer found `official`'s attestation of this (commitment, condition) fraudulent; a
    /// reviewer must lift the bar before they attest it again.
    error AidRegistryAttesterBarred(bytes32 commitment, bytes32 conditionId, address official);
    /// @notice There is no bar to lift.
    error AidRegistryAttesterNotBarred(bytes32 commitment, bytes32 conditionId, address attester);
    /// @notice A binding needs exactly `expected` officials with one signature each.
    error AidRegistryWrongSignatureCount(uint256 expected, uint256 officials, uint256 signatures);
    /// @notice Signing officials must be listed in strictly ascending order (which proves they are distinct).
    error AidRegistrySignersNotAscending(uint256 index, address signer);
    /// @notice `signer`'s signature does not sign this message (ECDSA, or ERC-1271 for a contract wallet).
    error AidRegistryInvalidSignature(address signer);
    /// @notice The signed message was valid while now < `deadline`.
    error AidRegistrySignatureExpired(uint256 deadline, uint256 nowTime);
    /// @notice A direct (undelayed) admin is accepted on the local chain (31337) only.
    error AidRegistryDirectAdminOutsideLocalChain(address admin, uint256 chainId);
    /// @notice Outside the local chain the admin must be a timelock (a contract answering getMinDelay()).
    error AidRegistryAdminNotTimelock(address admin);
    /// @notice Outside the local chain the admin timelock's delay must be at least `min` seconds.
    error AidRegistryAdminDelayTooShort(address admin, uint256 delay, uint256 min);
    /// @notice A profile field is longer than `max` bytes.
    error AidRegistryProfileFieldTooLong(string field, uint256 length, uint256 max);

    // ---------------------------------------------------------------- officials (admin)

    /// @notice Appoints an official and records their public profile. Only the default admin (the admin
    /// timelock outside the local chain, so an appointment is public for its delay before it counts).
    function addOfficial(address account, OfficialProfile calldata profile) external;

    /// @notice Replaces a current official's public profile. Only the default admin.
    function setOfficialProfile(address account, OfficialProfile calldata profile) external;

    /// @notice Removes an official. Their attestations stop counting at once: every cached eligibility is
    /// re-proven at the next claim (see docs/DECISIONS.md, "Removed officials"); their approvals and cancel
    /// votes of pending re-binds stop counting, and nobody else's. Only the default admin.
    function removeOfficial(address account) external;

    /// @notice Sets how many distinct officials binding and re-binding need (MIN_THRESHOLD..MAX_THRESHOLD)
    /// and the re-bind delay (at least MIN_PUBLIC_DELAY outside the local chain, at most MAX_REBIND_DELAY).
    /// Only the default admin.
    function setRebindPolicy(uint8 threshold, uint32 delay) external;

    // ---------------------------------------------------------------- identities

    /// @notice Binds a household's commitment to its first account, approved by `threshold` distinct
    /// current officials' EIP-712 `BindIdentity(commitment, account, deadline)` signatures (ECDSA, or
    /// ERC-1271 for a contract wallet). Anyone may submit; the signatures are the authority.
    /// @param commitment keccak256 of the household's identity and a secret salt, computed off chain
    /// @param deadline the signatures are valid while now < deadline
    /// @param officials exactly `threshold` signers, strictly ascending
    /// @param signatures one per official, in the same order
    function bindIdentity(
        bytes32 commitment,
        address account,
        uint256 deadline,
        address[] calldata officials,
        bytes[] calldata signatures
    ) external;

    /// @notice Opens request `nonce` = previous + 1 to move `commitment` to `newAccount`; counts as the
    /// caller's approval. Refused while another request is pending, and to the official whose own last
    /// request was cancelled or expired. The request expires REBIND_WINDOW after it opens unless approved,
    /// and REBIND_WINDOW after it becomes executable. Only officials.
    function requestRebind(bytes32 commitment, address newAccount) external;

    /// @notice Approves request `nonce`. The delay starts when `threshold` current officials approved.
    /// Only officials.
    function approveRebind(bytes32 commitment, uint32 nonce) external;

    /// @notice Cancels request `nonce`: at once when called by the commitment's bound account (unless a
    /// reviewer waived its veto); otherwise counts the calling official's vote, and cancels once
    /// `threshold` current officials voted.
    function cancelRebind(bytes32 commitment, uint32 nonce) external;

    /// @notice The bound account's cancellation, signed (EIP-712 `CancelRebind(commitment, nonce,
    /// deadline)`, ECDSA or ERC-1271) and submitted by anyone, so a household without ETH can use it.
    function cancelRebindBySig(bytes32 commitment, uint32 nonce, uint256 deadline, bytes calldata signature)
        external;

    /// @notice Executes an approved re-bind after its delay and before it expires, if `threshold` of its
    /// approvers are still current officials. Moves the eligibility epoch and records the old account's
    /// successor. Anyone may call.
    function executeRebind(bytes32 commitment) external;

    /// @notice Waives (or restores) the bound account's power to cancel re-binds of `commitment`, after a
    /// reviewer found the account compromised (a phone stolen unlocked). A re-bind still needs threshold
    /// officials and the delay. The waiver ends with the next executed re-bind. Only reviewers.
    function setAccountVetoWaived(bytes32 commitment, bool waived, bytes32 reasonHash) external;

    // ---------------------------------------------------------------- attestations (officials)

    /// @notice Attests that `commitment` meets `conditionId` until `expiry`. Re-attesting renews (or
    /// undoes one's own revocation). Refused while a reviewer's bar stands. Only officials.
    function attest(bytes32 commitment, bytes32 conditionId, uint40 expiry, bytes32 evidenceHash, uint16 score)
        external;

    /// @notice Attests many rows at once (village rounds). All-or-nothing. Only officials.
    function attestBatch(AttestationInput[] calldata rows) external;

    /// @notice Revokes `attester`'s attestation. Callable by the attester or a reviewer. A reviewer's
    /// revocation (the reviewer not being the attester) is a finding of fraud: it also bars the attester
    /// from attesting this (commitment, condition) again until a reviewer lifts the bar; a reviewer may
    /// bar an attestation its attester already revoked.
    function revoke(bytes32 commitment, bytes32 conditionId, address attester, bytes32 reasonHash) external;

    /// @notice Lifts a reviewer's bar on `attester` for (`commitment`, `conditionId`). The attestation stays
    /// revoked. Only reviewers.
    function liftBar(bytes32 commitment, bytes32 conditionId, address attester, bytes32 reasonHash) external;

    // ---------------------------------------------------------------- views

    /// @notice Role id (AccessControl) of programme managers: keccak256("precisionaid.role.manager").
    function MANAGER_ROLE() external view returns (bytes32);
    /// @notice Role id of reviewers (auditors): keccak256("precisionaid.role.reviewer").
    function REVIEWER_ROLE() external view returns (bytes32);
    /// @notice Role id of the pause guardian: keccak256("precisionaid.role.guardian").
    function GUARDIAN_ROLE() external view returns (bytes32);

    /// @notice EIP-712 type hash of an official's binding approval:
    /// keccak256("BindIdentity(bytes32 commitment,address account,uint256 deadline)").
    function BIND_IDENTITY_TYPEHASH() external view returns (bytes32);
    /// @notice EIP-712 type hash of a bound account's signed cancellation:
    /// keccak256("CancelRebind(bytes32 commitment,uint32 nonce,uint256 deadline)").
    function CANCEL_REBIND_TYPEHASH() external view returns (bytes32);

    /// @notice The local development chain (Hardhat's 31337), the only one where the floors below do not
    /// apply and a direct admin is accepted.
    function LOCAL_CHAIN_ID() external view returns (uint256);
    /// @notice Floor on the admin timelock's delay and on the re-bind delay outside the local chain (1 day).
    function MIN_PUBLIC_DELAY() external view returns (uint32);
    /// @notice Ceiling on the re-bind delay (30 days), so a household's recovery cannot be postponed for ever.
    function MAX_REBIND_DELAY() external view returns (uint32);
    /// @notice Floor on the number of officials binding and re-binding need (2): one never suffices.
    function MIN_THRESHOLD() external view returns (uint8);
    /// @notice Ceiling on the number of officials binding and re-binding need (16), bounding the signatures checked.
    function MAX_THRESHOLD() external view returns (uint8);
    /// @notice How long a request may gather approvals, and how long an approved one stays executable
    /// after its delay (14 days).
    function REBIND_WINDOW() external view returns (uint32);
    /// @notice Most approvers (and cancel voters) one request records (32).
    function MAX_REBIND_VOTES() external view returns (uint256);
    /// @notice Longest profile field, in bytes (128).
    function MAX_PROFILE_FIELD_LENGTH() external view returns (uint256);

    /// @notice Whether `account` is a current official.
    function isOfficial(address account) external view returns (bool);

    /// @notice An official's standing and record.
    function official(address account) external view returns (Official memory);

    /// @notice An official's public profile (empty for an account never appointed).
    function officialProfile(address account) external view returns (OfficialProfile memory);

    /// @notice Bumped by every official removal.
    function officialRemovalEpoch() external view returns (uint32);

    /// @notice The identity bound to a commitment.
    function identity(bytes32 commitment) external view returns (Identity memory);

    /// @notice The commitment an account is bound to (zero if none).
    function commitmentOf(address account) external view returns (bytes32);

    /// @notice The account that replaced `account` through an executed re-bind (zero if none). Follow it
    /// repeatedly to reach the household's current account.
    function successorOf(address account) external view returns (address);

    /// @notice An attestation by `attester` (zeroed if none).
    function attestation(bytes32 commitment, bytes32 conditionId, address attester)
        external
        view
        returns (Attestation memory);

    /// @notice The current (or last) re-bind request of a commitment, as stored.
    function rebindRequest(bytes32 commitment) external view returns (RebindRequest memory);

    /// @notice The current request's status, with Approved and Expired derived from time and approvals.
    function rebindStatus(bytes32 commitment) external view returns (RebindStatus);

    /// @notice The officials who approved request `nonce`, in the order they did (removed ones included).
    function rebindApprovers(bytes32 commitment, uint32 nonce) external view returns (address[] memory);

    /// @notice The officials who voted to cancel request `nonce` (removed ones included).
    function rebindCancelVoters(bytes32 commitment, uint32 nonce) external view returns (address[] memory);

    /// @notice Whether `official` approved re-bind request `nonce` of `commitment`.
    function hasApprovedRebind(bytes32 commitment, uint32 nonce, address official) external view returns (bool);

    /// @notice The number of officials binding and re-binding need, and the re-bind delay.
    function rebindPolicy() external view returns (uint8 threshold, uint32 delay);

    /// @notice The bound account and the eligibility epoch of a commitment. The epoch changes whenever a
    /// proof of eligibility may have stopped holding for a reason other than time (a revocation or
    /// shortened attestation about this commitment, a re-bind of it, or any official's removal), so a
    /// cached proof is valid exactly while its epoch equals this one and time is before its earliest expiry.
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
