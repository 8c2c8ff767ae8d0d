// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ProjectStatus, CancellationHalf} from "./AidTypes.sol";
import {IAidRegistry} from "./IAidRegistry.sol";
import {IAidPausable} from "./IAidPausable.sol";
import {IAidClaimNonces} from "./IAidClaimNonces.sol";
import {IAidSharedErrors} from "./IAidSharedErrors.sol";
import {
    RosterProgrammeTerms,
    RosterGate,
    RosterInfo,
    RosterLedger,
    RosterObjectionStatus,
    SignedRosterClaim,
    LeafChangeKind,
    LeafChangeRequest,
    LeafRecord
} from "./AidRosterTypes.sol";

/// @title PrecisionAid roster programme: one county-scale programme paid from a Merkle roster
/// @notice Donors fund the programme; its manager publishes a roster (the Merkle root over
/// (uint256 index, address beneficiary, uint256 amountPerTranche) in the OpenZeppelin merkle-tree
/// standard format, plus the roster file's URI and content hash); k distinct current officials approve
/// that root in one transaction by EIP-712 signatures; a publicity window follows in which anyone may
/// object to single leaves and reviewers rule; then each beneficiary pulls each tranche with a proof,
/// directly or through a relayer holding their signature. After claims open, k officials may re-bind one
/// leaf's remaining tranches to a new account (a lost phone) or withhold them (an exit, a finding), after a
/// delay in which anyone may object. Unpaid funds go back to donors pro rata after cancellation or the
/// claim deadline. Money leaves only to a leaf's own account, its approved successor, or back to donors:
/// there is no admin, owner or upgrade path to anywhere else.
/// @dev One programme per contract (deployed through AidRosterFactory), so the programme's terms are
/// immutables and every claim reads a single slot of programme state. Every window, expiry and deadline
/// is half-open: valid while block.timestamp < end. The pause (IAidPausable), the signed-claim nonces
/// (IAidClaimNonces), the money shell, the signature checks, the two-person cancellation and the schedule
/// rules are shared with escrow projects (contracts/libraries/).
interface IAidRosterProgramme is IAidPausable, IAidClaimNonces, IAidSharedErrors {
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
    /// @notice Tranche `tranche` of leaf `index` (`amount`) was paid to `account`: the leaf's own address, or
    /// its approved successor.
    event Claimed(address indexed account, uint256 index, uint256 tranche, uint256 amount);
    /// @notice A relayer batch skipped leaf `index`, tranche `tranche`: claimBySig refused it with `reason`
    /// (the revert data; empty when the entry ran out of its CLAIM_GAS_CAP). Nothing was paid or changed for it.
    event ClaimSkipped(uint256 index, uint256 tranche, bytes reason);
    /// @notice `officials` asked to change leaf `index` of root `version` (`kind`, to `newAccount` for a
    /// re-bind). The leaf's remaining tranches are held from now; the change takes effect at `effectiveAt`
    /// unless objected to before then. `withheldAmount` (an exit or exclusion) leaves the roster total.
    event LeafChangeRequested(
        uint32 indexed version,
        uint256 indexed index,
        LeafChangeKind kind,
        address newAccount,
        address[] officials,
        bytes32 reasonHash,
        uint40 effectiveAt,
        uint256 withheldAmount
    );
    /// @notice `objector` objected to the pending change of leaf `index`; it waits for a reviewer.
    event LeafChangeObjected(uint32 indexed version, uint256 indexed index, address indexed objector, bytes32 reasonHash);
    /// @notice `reviewer` ruled on the objection to leaf `index`'s change: upheld voids the change (and puts
    /// `restoredAmount` back into the roster total); dismissed lets it take effect at its time.
    event LeafChangeRuled(
        uint32 indexed version, uint256 indexed index, address indexed reviewer, bool upheld, uint256 restoredAmount
    );
    /// @notice `approver` approved cancellation, as the programme's manager or as a reviewer. A first half
    /// waits for the other until `expiresAt`; `expiresAt` is 0 when this approval completed the pair.
    event CancellationApproved(address indexed approver, bool asReviewer, uint40 expiresAt);
    /// @notice `approver` withdrew their half-approval of cancellation.
    event CancellationWithdrawn(address indexed approver);
    /// @notice The programme was cancelled at `cancelledAt`: claims are closed and refunds open.
    event ProgrammeCancelled(uint40 cancelledAt);
    /// @notice `donor` took back `amount`, their pro-rata share of what was not paid out.
    event Refunded(address indexed donor, uint256 amount);

    // ---------------------------------------------------------------- errors

    /// @notice The caller lacks `role` in the registry.
    error AidRosterUnauthorized(address caller, bytes32 role);
    /// @notice The caller is not this programme's manager (or no longer holds the manager role).
    error AidRosterNotManager(address caller);
    /// @notice `donor` offered a zero amount.
    error AidRosterZeroAmount(address donor);
    /// @notice ETH sent to an ERC-20 programme, or the ERC-20 path used for an ETH programme.
    error AidRosterWrongToken(address token);
    /// @notice Donations need the Funding status but the programme is `actual`.
    error AidRosterNotFunding(ProjectStatus actual);
    /// @notice The action needs a live programme (Funding or Active) but it is `actual`.
    error AidRosterNotLive(ProjectStatus actual);
    /// @notice A roster needs a non-zero root and at least one leaf.
    error AidRosterInvalidRoster(bytes32 root, uint32 leafCount);
    /// @notice The roster would commit `rosterTotal` but only `raised` was donated.
    error AidRosterOverCommitment(uint256 rosterTotal, uint256 raised);
    /// @notice Root `version` can no longer be replaced: its claims opened at `claimsOpenAt`.
    error AidRosterRootFrozen(uint32 version, uint40 claimsOpenAt);
    /// @notice No roster has been published in `programme` yet.
    error AidRosterNoRoster(address programme);
    /// @notice Root `version` is already approved.
    error AidRosterRootAlreadyApproved(uint32 version);
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
    /// @notice An objection to leaf `index` with this reason was dismissed in this window: new evidence, new hash.
    error AidRosterObjectionAlreadyDismissed(uint256 index, bytes32 reasonHash);
    /// @notice Leaf `index` has no pending objection (it is in `status`).
    error AidRosterNoPendingObjection(uint256 index, RosterObjectionStatus status);
    /// @notice The proof of (index, account, amount) leads to `computedRoot`, which is not the current root, and
    /// no leaf change names `account` as leaf `index`'s payee.
    error AidRosterInvalidProof(uint256 index, address account, bytes32 computedRoot);
    /// @notice Claims closed at `closedAt` (the claim deadline moved later by pauses, or the cancellation time).
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
    /// @notice Leaf `index`'s remaining tranches are paid to `payee` now (a re-bind), not to the caller's account.
    error AidRosterLeafRebound(uint256 index, address payee);
    /// @notice Tranche `tranche` of leaf `index` was withheld (an exit or an exclusion).
    error AidRosterLeafWithheld(uint256 index, uint256 tranche);
    /// @notice Leaf `index` has a change pending until `effectiveAt` (or objected to): its tranches wait.
    error AidRosterLeafChangePending(uint256 index, uint40 effectiveAt);
    /// @notice Leaf `index` has no pending change that can be objected to or ruled on (it is in `status`).
    error AidRosterNoPendingLeafChange(uint256 index, uint8 status);
    /// @notice A leaf change needs claims open (they open at `claimsOpenAt`).
    error AidRosterLeafChangeTooEarly(uint40 claimsOpenAt);
    /// @notice A re-bind needs a non-zero new account; an exit or exclusion must name none (`newAccount`).
    error AidRosterInvalidLeafChange(LeafChangeKind kind, address newAccount);
    /// @notice The amount `given` for leaf `index` differs from the leaf's `expected` amount per tranche.
    error AidRosterWrongAmount(uint256 index, uint256 expected, uint256 given);
    /// @notice A relayer batch reached entry `position` with only `gasLeft` gas: less than an entry may need.
    error AidRosterBatchOutOfGas(uint256 position, uint256 gasLeft);
    /// @notice Refunds open after cancellation or the claim deadline; the programme is `actual`.
    error AidRosterRefundsNotOpen(ProjectStatus actual);
    /// @notice The caller has nothing to refund.
    error AidRosterNothingToRefund(address donor);

    // ---------------------------------------------------------------- donations

    /// @notice Donates ETH to an ETH programme while it is funding and not paused. Anyone.
    function donate() external payable;

    /// @notice Donates `amount` of the programme's ERC-20 (approve first), counted by the balance change. Anyone.
    function donateToken(uint256 amount) external;

    /// @notice Donates with an EIP-2612 permit. A front-run permit does not block the donation: an existing
    /// allowance is used instead. Anyone.
    function donateWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    // ---------------------------------------------------------------- roster

    /// @notice Publishes a (new) roster: bumps the root version, which voids the previous root, its
    /// approvals and its objections. Allowed until the approved root's claims open; after that the root
    /// is frozen (see docs/DECISIONS-roster.md, "No double claim across a root change"). Only the manager.
    /// @param root StandardMerkleTree root over (uint256 index, address account, uint256 amountPerTranche)
    /// @param leafCount number of leaves; indexes run 0..leafCount-1 (the roster tool refuses any other index)
    /// @param rosterTotal sum of amountPerTranche x tranches over all leaves; must not exceed what was raised
    /// @param uri where the roster file lives
    /// @param contentHash hash of the roster file's bytes
    function publishRoster(bytes32 root, uint32 leafCount, uint256 rosterTotal, string calldata uri, bytes32 contentHash)
        external;

    /// @notice Approves the current root with the EIP-712 signatures of exactly k distinct current
    /// officials over RootApproval(Roster roster, uint256 deadline), Roster being (root, version, leafCount,
    /// rosterTotal, contentHash), under this programme's domain, and starts the publicity window. Anyone may
    /// submit: the signatures are the authority.
    /// @param officials the signers, strictly ascending
    /// @param signatures one per signer: 65-byte ECDSA, or whatever the signer's ERC-1271 accepts (a Safe)
    /// @param deadline the signatures are valid while block.timestamp < deadline, so whoever holds them cannot
    /// choose when the window starts long after the officials signed
    function approveRoot(address[] calldata officials, bytes[] calldata signatures, uint256 deadline) external;

    /// @notice Objects to leaf `index` of the current root during its publicity window; holds the leaf
    /// until a reviewer rules. Anyone, also while paused. An objection with the reason of one dismissed in this
    /// window is refused.
    function object(uint256 index, bytes32 reasonHash) external;

    /// @notice Rules on the pending objection to leaf `index`. Upholding excludes the leaf and releases
    /// its amount from the roster total, so it needs the leaf and its proof. Only reviewers.
    function ruleOnObjection(uint256 index, bool upheld, address account, uint256 amount, bytes32[] calldata proof)
        external;

    /// @notice Dismisses the pending objections to the listed leaves in one transaction (for example all of one
    /// objector's, found from ObjectionRaised); leaves without one are passed over. Only reviewers.
    /// @return dismissed the number of objections dismissed
    function dismissObjections(uint256[] calldata indexes) external returns (uint256 dismissed);

    // ---------------------------------------------------------------- leaf changes (after claims open)

    /// @notice k distinct current officials (the programme's threshold; EIP-712 signatures over
    /// LeafChange(version, index, kind, newAccount, reasonHash, nonce, deadline), ECDSA or ERC-1271, in one
    /// transaction as for root approvals) change one leaf of the current root after its claims opened: a
    /// re-bind moves every unpaid tranche to `newAccount` (a lost phone); an exit withholds the tranches not yet
    /// unlocked (those already unlocked stay owed); an exclusion (an upheld finding) withholds every unpaid
    /// tranche. The leaf's remaining tranches leave the claimed-flags bitmap at its first change and are paid
    /// from its LeafRecord; while a re-bind or exclusion is pending they wait. The change takes effect after
    /// max(publicity window, LEAF_CHANGE_MIN_DELAY), unless someone objects before then. Withheld money stays
    /// in the programme and goes back to donors at the end. Anyone may submit; not while paused.
    /// @param officials the signers, strictly ascending
    function requestLeafChange(LeafChangeRequest calldata request, address[] calldata officials, bytes[] calldata signatures)
        external;

    /// @notice Objects to leaf `index`'s pending change before it takes effect. Anyone, also while paused.
    function objectToLeafChange(uint256 index, bytes32 reasonHash) external;

    /// @notice Rules on the objection to leaf `index`'s change: upheld voids the change, dismissed lets it take
    /// effect at its time (at once if that has passed). Only reviewers.
    function ruleOnLeafChange(uint256 index, bool upheld) external;

    // ---------------------------------------------------------------- claims

    /// @notice Claims tranche `tranche` of the caller's leaf (index, msg.sender, amount) with its proof. The
    /// payee of a changed leaf (its successor after a re-bind) claims the same way; its proof is not needed.
    function claim(uint256 index, uint256 tranche, uint256 amount, bytes32[] calldata proof) external;

    /// @notice Submits a claim signed by the leaf's account (or its payee after a leaf change); anyone may pay
    /// the gas. The money goes to that account.
    function claimBySig(SignedRosterClaim calldata request) external;

    /// @notice A relayer's batch of signed claims (not payable). Each entry is tried as claimBySig with at most
    /// CLAIM_GAS_CAP gas; an entry refused for a reason of its own (already claimed, nonce moved, wallet refusing
    /// the money, gas bomb...) is skipped with ClaimSkipped and the others are paid. The batch reverts only while
    /// paused, or if it reaches an entry with less gas than that entry may need (AidRosterBatchOutOfGas).
    /// @return paid the number of claims paid
    function claimBatch(SignedRosterClaim[] calldata requests) external returns (uint256 paid);

    // ---------------------------------------------------------------- cancellation and refunds

    /// @notice Approves cancellation as the programme's manager (always, if the caller is the manager and holds
    /// the role) or as a reviewer. The first half counts for 7 days and only while its approver still holds that
    /// role; the second must come from the other role and another account. When both are in, claims close and
    /// refunds open.
    function approveCancellation() external;

    /// @notice Withdraws the caller's half-approval of cancellation.
    function withdrawCancellation() external;

    /// @notice Pays the caller floor(contribution x pool / raised), where the pool is what was held when refunds
    /// began, capped at what was raised (withheld tranches included). Rounding is down for every donor, so
    /// nobody gets back more than they gave; the dust stays held. Works while paused.
    function refund() external;

    // pause() and unpause() (IAidPausable): donations, publications, approvals, leaf-change requests and claims
    // stop for at most MAX_PAUSE; the claim deadline moves later by the time paused. Refunds, objections and
    // rulings still work. Only the registry's guardian.

    // ---------------------------------------------------------------- views

    /// @notice Upper bounds that keep every loop small.
    function MAX_TRANCHES() external view returns (uint256);
    function MAX_THRESHOLD() external view returns (uint8);

    /// @notice The most gas one entry of claimBatch may use.
    function CLAIM_GAS_CAP() external view returns (uint256);

    /// @notice The shortest delay of a leaf change (one day); the publicity window applies if longer.
    function LEAF_CHANGE_MIN_DELAY() external view returns (uint40);

    /// @notice EIP-712 typehashes of a root approval (and its nested Roster), a signed claim and a leaf change.
    function ROOT_APPROVAL_TYPEHASH() external view returns (bytes32);
    function ROSTER_TYPEHASH() external view returns (bytes32);
    function CLAIM_TYPEHASH() external view returns (bytes32);
    function LEAF_CHANGE_TYPEHASH() external view returns (bytes32);

    /// @notice The registry this programme trusts for roles and officials.
    function registry() external view returns (IAidRegistry);

    /// @notice The factory that created this programme (from its blueprint).
    function factory() external view returns (address);

    /// @notice The programme's manager.
    function manager() external view returns (address);

    /// @notice The programme's terms (claimDeadline as agreed; see claimDeadline() for the one moved by pauses).
    function terms() external view returns (RosterProgrammeTerms memory);

    /// @notice Claims are accepted while now < claimDeadline(): the agreed deadline moved later by every second
    /// paused.
    function claimDeadline() external view returns (uint40);

    /// @notice The programme's status now (None is never returned).
    function status() external view returns (ProjectStatus);

    /// @notice The current roster.
    function roster() external view returns (RosterInfo memory);

    /// @notice The claim gate stored under `root` (all zero unless it is the current root).
    function gate(bytes32 root) external view returns (RosterGate memory);

    /// @notice The programme's money figures.
    function ledger() external view returns (RosterLedger memory);

    /// @notice The cancellation half-approval in force (all zero if none or expired).
    function cancellationApproval() external view returns (CancellationHalf memory);

    /// @notice What `donor` has given and not yet taken back.
    function contributionOf(address donor) external view returns (uint256);

    /// @notice What refund() would pay `donor` now (zero before refunds open or with nothing to refund).
    function refundableOf(address donor) external view returns (uint256);

    /// @notice Whether tranche `tranche` of leaf `index` of the current root is settled for the leaf's own
    /// account through the roster: paid, held or excluded by an objection, or moved into a leaf record.
    function isSettled(uint256 index, uint256 tranche) external view returns (bool);

    /// @notice The objection to leaf `index` of root `version`.
    function objectionStatus(uint32 version, uint256 index) external view returns (RosterObjectionStatus);

    /// @notice Leaf `index`'s record of changes under the current root (all zero if the leaf was never changed).
    /// A change still marked Pending whose effectiveAt has passed has taken effect: for a re-bind the payee is
    /// newPayee, for an exit or exclusion the withheld tranches include `withholding`.
    function leafRecord(uint256 index) external view returns (LeafRecord memory);

    /// @notice The StandardMerkleTree leaf of (index, account, amountPerTranche).
    function leafHash(uint256 index, address account, uint256 amount) external pure returns (bytes32);
}
