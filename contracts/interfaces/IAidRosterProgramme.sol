// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ProjectStatus} from "./AidTypes.sol";
import {IAidRegistry} from "./IAidRegistry.sol";
import {
    RosterProgrammeTerms,
    RosterGate,
    RosterInfo,
    RosterLedger,
    RosterObjectionStatus,
    SignedRosterClaim
} from "./AidRosterTypes.sol";

/// @title PrecisionAid roster programme: one county-scale programme paid from a Merkle roster
/// @notice Donors fund the programme; its manager publishes a roster (the Merkle root over
/// (uint256 index, address beneficiary, uint256 amountPerTranche) in the OpenZeppelin merkle-tree
/// standard format, plus the roster file's URI and content hash); k distinct current officials approve
/// that root in one transaction by EIP-712 signatures; a publicity window follows in which anyone may
/// object to single leaves and reviewers rule; then each beneficiary pulls each tranche with a proof,
/// directly or through a relayer holding their signature. Unpaid funds go back to donors pro rata after
/// cancellation or the claim deadline. Money leaves only to a leaf's own account or back to donors:
/// there is no admin, owner or upgrade path to anywhere else.
/// @dev One programme per contract (deployed by AidRosterFactory), so the programme's terms are
/// immutables and every claim reads a single slot of programme state. Every window, expiry and deadline
/// is half-open: valid while block.timestamp < end.
interface IAidRosterProgramme {
    // ---------------------------------------------------------------- events

    /// @notice `donor` gave `amount` (in the programme's token); `raised` is the new total.
    event Donated(address indexed donor, uint256 amount, uint256 raised);
    /// @notice The manager published roster `version`; any earlier root, its approvals and its objections
    /// are void.
    /// @param rosterTotal sum over leaves of amountPerTranche x tranches (never above what was raised)
    /// @param uri where the roster file lives
    /// @param contentHash hash of the roster file's bytes
    event RosterPublished(
        uint32 indexed version, bytes32 indexed root, uint32 leafCount, uint256 rosterTotal, string uri, bytes32 contentHash
    );
    /// @notice `officials` (strictly ascending) approved root `version`; objections are accepted while
    /// now < claimsOpenAt and claims from claimsOpenAt on.
    event RootApproved(uint32 indexed version, bytes32 indexed root, address[] officials, uint40 claimsOpenAt);
    /// @notice `objector` objected to leaf `index` of root `version`; every tranche of the leaf is held.
    event ObjectionRaised(uint32 indexed version, uint256 indexed index, address indexed objector, bytes32 reasonHash);
    /// @notice `reviewer` ruled on the objection to leaf `index`. If upheld the leaf is excluded and
    /// `releasedAmount` leaves the roster total; if dismissed the leaf may be claimed again.
    event ObjectionRuled(
        uint32 indexed version, uint256 indexed index, address indexed reviewer, bool upheld, uint256 releasedAmount
    );
    /// @notice Tranche `tranche` of leaf `index` (`amount`) was paid to `account`, the leaf's own address.
    event Claimed(address indexed account, uint256 index, uint256 tranche, uint256 amount);
    /// @notice A relayer batch skipped leaf `index`, tranche `tranche`: it was already claimed or is held
    /// or excluded. Nothing was paid or changed for it.
    event ClaimSkipped(uint256 index, uint256 tranche);
    /// @notice `account` voided every outstanding signed claim of theirs; `newNonce` is now expected.
    event ClaimNonceInvalidated(address indexed account, uint256 newNonce);
    /// @notice `approver` approved cancellation, as the programme's manager or as a reviewer.
    event CancellationApproved(address indexed approver, bool asReviewer);
    /// @notice The programme was cancelled at `cancelledAt`: claims are closed and refunds open.
    event ProgrammeCancelled(uint40 cancelledAt);
    /// @notice `donor` took back `amount`, their pro-rata share of what was not paid out.
    event Refunded(address indexed donor, uint256 amount);
    /// @notice The guardian paused the programme (donations, publications, approvals and claims).
    event ProgrammePaused(address indexed guardian);
    /// @notice The guardian resumed the programme.
    event ProgrammeUnpaused(address indexed guardian);

    // ---------------------------------------------------------------- errors

    /// @notice The caller lacks `role` in the registry.
    error AidRosterUnauthorized(address caller, bytes32 role);
    /// @notice The caller is not this programme's manager (or no longer holds the manager role).
    error AidRosterNotManager(address caller);
    /// @notice Amounts must be non-zero.
    error AidRosterZeroAmount();
    /// @notice ETH sent to an ERC-20 programme, or the ERC-20 path used for an ETH programme.
    error AidRosterWrongToken(address token);
    /// @notice The token delivered `received` instead of `expected` (fee-on-transfer and similar are refused).
    error AidRosterTransferShortfall(address token, uint256 expected, uint256 received);
    /// @notice Donations need the Funding status but the programme is `actual`.
    error AidRosterNotFunding(ProjectStatus actual);
    /// @notice The action needs a live programme (Funding or Active) but it is `actual`.
    error AidRosterNotLive(ProjectStatus actual);
    /// @notice The programme is paused.
    error AidRosterPaused();
    /// @notice The programme is not paused.
    error AidRosterNotPaused();
    /// @notice A roster needs a non-zero root and at least one leaf.
    error AidRosterInvalidRoster(bytes32 root, uint32 leafCount);
    /// @notice The roster would commit `rosterTotal` but only `raised` was donated.
    error AidRosterOverCommitment(uint256 rosterTotal, uint256 raised);
    /// @notice Root `version` can no longer be replaced: its claims opened at `claimsOpenAt`.
    error AidRosterRootFrozen(uint32 version, uint40 claimsOpenAt);
    /// @notice No roster has been published.
    error AidRosterNoRoster();
    /// @notice Root `version` is already approved.
    error AidRosterRootAlreadyApproved(uint32 version);
    /// @notice Exactly `expected` (the threshold k) signers and as many signatures are needed.
    error AidRosterWrongSignatureCount(uint256 expected, uint256 signers, uint256 signatures);
    /// @notice Signers must be strictly ascending, which proves they are distinct.
    error AidRosterSignersNotAscending(uint256 position, address signer);
    /// @notice `signer` is not a current official.
    error AidRosterNotOfficial(address signer);
    /// @notice `signer`'s signature (EOA or ERC-1271) does not approve this root and version.
    error AidRosterInvalidApproval(address signer);
    /// @notice The publicity window would end at `claimsOpenAt`, not before the claim deadline.
    error AidRosterWindowPastDeadline(uint40 claimsOpenAt, uint40 claimDeadline);
    /// @notice Root `version` has not been approved yet.
    error AidRosterRootNotApproved(uint32 version);
    /// @notice The publicity window closed at `claimsOpenAt`.
    error AidRosterPublicityWindowClosed(uint40 claimsOpenAt);
    /// @notice The publicity window is open until `claimsOpenAt`.
    error AidRosterPublicityWindowOpen(uint40 claimsOpenAt);
    /// @notice The roster has `leafCount` leaves; `index` is not one of them.
    error AidRosterIndexOutOfRange(uint256 index, uint32 leafCount);
    /// @notice Leaf `index` already has an objection in `status`.
    error AidRosterAlreadyObjected(uint256 index, RosterObjectionStatus status);
    /// @notice Leaf `index` has no pending objection (it is in `status`).
    error AidRosterNoPendingObjection(uint256 index, RosterObjectionStatus status);
    /// @notice The proof of (index, account, amount) leads to `computedRoot`, which is not the current root.
    error AidRosterInvalidProof(uint256 index, address account, bytes32 computedRoot);
    /// @notice Claims closed at `closedAt` (the claim deadline, or the cancellation time).
    error AidRosterClaimsClosed(uint40 closedAt);
    /// @notice No such tranche: the programme has `trancheCount`.
    error AidRosterUnknownTranche(uint256 tranche, uint256 trancheCount);
    /// @notice The tranche unlocks at `unlockTime`.
    error AidRosterTrancheLocked(uint256 tranche, uint40 unlockTime);
    /// @notice The tranche of this leaf was already paid.
    error AidRosterAlreadyClaimed(uint256 index, uint256 tranche);
    /// @notice A pending objection holds every tranche of this leaf.
    error AidRosterLeafHeld(uint256 index);
    /// @notice An upheld objection excluded this leaf.
    error AidRosterLeafExcluded(uint256 index);
    /// @notice The signed claim's deadline has passed.
    error AidRosterSignatureExpired(uint256 deadline);
    /// @notice The signed claim carries nonce `signed` but `account`'s current nonce is `expected`.
    error AidRosterWrongNonce(address account, uint256 expected, uint256 signed);
    /// @notice The signature is not `account`'s (EOA or ERC-1271).
    error AidRosterInvalidSignature(address account);
    /// @notice This approver already approved cancellation.
    error AidRosterCancellationAlreadyApproved(address approver);
    /// @notice Refunds open after cancellation or the claim deadline; the programme is `actual`.
    error AidRosterRefundsNotOpen(ProjectStatus actual);
    /// @notice The caller has nothing to refund.
    error AidRosterNothingToRefund(address donor);

    // ---------------------------------------------------------------- donations

    /// @notice Donates ETH to an ETH programme while it is funding and not paused. Anyone.
    function donate() external payable;

    /// @notice Donates `amount` of the programme's ERC-20 (approve first). Anyone.
    function donateToken(uint256 amount) external;

    // ---------------------------------------------------------------- roster

    /// @notice Publishes a (new) roster: bumps the root version, which voids the previous root, its
    /// approvals and its objections. Allowed until the approved root's claims open; after that the root
    /// is frozen (see docs/DECISIONS-roster.md, "No double claim across a root change"). Only the manager.
    /// @param root StandardMerkleTree root over (uint256 index, address account, uint256 amountPerTranche)
    /// @param leafCount number of leaves; indexes run 0..leafCount-1
    /// @param rosterTotal sum of amountPerTranche x tranches over all leaves; must not exceed what was raised
    /// @param uri where the roster file lives
    /// @param contentHash hash of the roster file's bytes
    function publishRoster(bytes32 root, uint32 leafCount, uint256 rosterTotal, string calldata uri, bytes32 contentHash)
        external;

    /// @notice Approves the current root with the EIP-712 signatures of exactly k distinct current
    /// officials (RootApproval(root, version, leafCount, rosterTotal, contentHash) under this programme's
    /// domain), and starts the publicity window. Anyone may submit: the signatures are the authority.
    /// @param officials the signers, strictly ascending
    /// @param signatures one per signer: 65-byte ECDSA, or whatever the signer's ERC-1271 accepts (a Safe)
    function approveRoot(address[] calldata officials, bytes[] calldata signatures) external;

    /// @notice Objects to leaf `index` of the current root during its publicity window; holds the leaf
    /// until a reviewer rules. Anyone.
    function object(uint256 index, bytes32 reasonHash) external;

    /// @notice Rules on the pending objection to leaf `index`. Upholding excludes the leaf and releases
    /// its amount from the roster total, so it needs the leaf and its proof. Only reviewers.
    function ruleOnObjection(uint256 index, bool upheld, address account, uint256 amount, bytes32[] calldata proof)
        external;

    // ---------------------------------------------------------------- claims

    /// @notice Claims tranche `tranche` of the caller's leaf (index, msg.sender, amount) with its proof.
    function claim(uint256 index, uint256 tranche, uint256 amount, bytes32[] calldata proof) external;

    /// @notice Submits a claim signed by the leaf's account; anyone may pay the gas. The money goes to
    /// the leaf's account.
    function claimBySig(SignedRosterClaim calldata request) external;

    /// @notice A relayer's batch of signed claims (not payable). Entries whose tranche is already claimed,
    /// held or excluded are skipped (ClaimSkipped) so a beneficiary claiming directly cannot make the
    /// batch fail; every other refusal reverts the whole batch.
    /// @return paid the number of claims paid
    function claimBatch(SignedRosterClaim[] calldata requests) external returns (uint256 paid);

    /// @notice Voids every outstanding signed claim of the caller by bumping their claim nonce.
    function invalidateClaimSignatures() external;

    // ---------------------------------------------------------------- cancellation and refunds

    /// @notice Approves cancellation as the programme's manager or as a reviewer. When both have
    /// approved, claims close and refunds open.
    function approveCancellation() external;

    /// @notice Pays the caller floor(contribution x pool / raised), capped at the contribution, where the
    /// pool is what was held when refunds began. Rounding is down for every donor, so nobody gets back more
    /// than they gave; the dust stays held. Works while paused.
    function refund() external;

    // ---------------------------------------------------------------- administration

    /// @notice Stops donations, publications, approvals and claims. Refunds, objections and rulings still
    /// work. Only the registry's guardian.
    function pause() external;

    /// @notice Resumes. Only the registry's guardian.
    function unpause() external;

    // ---------------------------------------------------------------- views

    /// @notice Upper bounds that keep every loop small.
    function MAX_TRANCHES() external view returns (uint256);
    function MAX_THRESHOLD() external view returns (uint8);

    /// @notice EIP-712 typehashes of a root approval and a signed claim.
    function ROOT_APPROVAL_TYPEHASH() external view returns (bytes32);
    function CLAIM_TYPEHASH() external view returns (bytes32);

    /// @notice The registry this programme trusts for roles and officials.
    function registry() external view returns (IAidRegistry);

    /// @notice The factory that deployed this programme.
    function factory() external view returns (address);

    /// @notice The programme's manager.
    function manager() external view returns (address);

    /// @notice The programme's terms.
    function terms() external view returns (RosterProgrammeTerms memory);

    /// @notice The programme's status now (None is never returned).
    function status() external view returns (ProjectStatus);

    /// @notice Whether the programme is paused.
    function paused() external view returns (bool);

    /// @notice The current roster.
    function roster() external view returns (RosterInfo memory);

    /// @notice The claim gate stored under `root` (all zero unless it is the current root).
    function gate(bytes32 root) external view returns (RosterGate memory);

    /// @notice The programme's money figures.
    function ledger() external view returns (RosterLedger memory);

    /// @notice What `donor` has given and not yet taken back.
    function contributionOf(address donor) external view returns (uint256);

    /// @notice What refund() would pay `donor` now (zero before refunds open or with nothing to refund).
    function refundableOf(address donor) external view returns (uint256);

    /// @notice Whether tranche `tranche` of leaf `index` of the current root is settled: paid, or held or
    /// excluded by an objection.
    function isSettled(uint256 index, uint256 tranche) external view returns (bool);

    /// @notice The objection to leaf `index` of root `version`.
    function objectionStatus(uint32 version, uint256 index) external view returns (RosterObjectionStatus);

    /// @notice The nonce `account`'s next signed claims must carry.
    function claimNonce(address account) external view returns (uint256);

    /// @notice The StandardMerkleTree leaf of (index, account, amountPerTranche).
    function leafHash(uint256 index, address account, uint256 amount) external pure returns (bytes32);
}
