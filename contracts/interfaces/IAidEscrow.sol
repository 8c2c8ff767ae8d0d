// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {
    ProjectTerms,
    ProjectStatus,
    ProjectLedger,
    EnrolmentStatus,
    Enrolment,
    ClaimRequest,
    SignedClaim,
    CancellationHalf
} from "./AidTypes.sol";
import {IAidRegistry} from "./IAidRegistry.sol";
import {IAidPausable} from "./IAidPausable.sol";
import {IAidClaimNonces} from "./IAidClaimNonces.sol";
import {IAidSharedErrors} from "./IAidSharedErrors.sol";
import {IAidTermsErrors} from "./IAidTermsErrors.sol";

/// @title PrecisionAid escrow: conditional aid projects
/// @notice Donors fund projects; officials enrol households proven eligible in the registry; after a
/// publicity window during which anyone may object, households pull each tranche once it unlocks and
/// while they remain eligible. Unpaid funds go back to donors pro rata after cancellation or the claim
/// deadline. Money leaves a project only to its enrolled households or back to its donors: there is
/// no admin, owner or upgrade path to anywhere else.
/// @dev Conservation: for every project, raised = claimed + refunded + held. Every window is half-open
/// (valid while block.timestamp < end). The pause (IAidPausable), the signed-claim nonces (IAidClaimNonces),
/// the money shell, the signature checks, the two-person cancellation and the schedule rules are shared
/// with roster programmes (contracts/libraries/); their errors are named after the shared piece.
interface IAidEscrow is IAidPausable, IAidClaimNonces, IAidSharedErrors, IAidTermsErrors {
    // ---------------------------------------------------------------- events

    /// @notice A project was created by `manager` with `terms`.
    event ProjectCreated(uint256 indexed projectId, address indexed manager, ProjectTerms terms);
    /// @notice The manager replaced the terms before any donation; donations must now name `termsVersion`.
    event ProjectTermsUpdated(uint256 indexed projectId, ProjectTerms terms, uint256 termsVersion);
    /// @notice `donor` gave `amount` (in the project's token); `raised` is the project's new total.
    event Donated(uint256 indexed projectId, address indexed donor, uint256 amount, uint256 raised);
    /// @notice `official` enrolled a household, committing `committedAmount` of the project's funds to it.
    /// @param attesters the officials whose attestations proved eligibility, grouped per condition
    event BeneficiaryEnrolled(
        uint256 indexed projectId,
        bytes32 indexed commitment,
        address indexed official,
        uint256 committedAmount,
        uint40 windowEndsAt,
        address[] attesters
    );
    /// @notice `objector` objected to an enrolment during its publicity window; payments are held.
    event ObjectionRaised(uint256 indexed projectId, bytes32 indexed commitment, address indexed objector, bytes32 reasonHash);
    /// @notice `reviewer` ruled on an objection. If upheld the household is removed and
    /// `releasedAmount` goes back to the uncommitted pool.
    event ObjectionRuled(
        uint256 indexed projectId, bytes32 indexed commitment, address indexed reviewer, bool upheld, uint256 releasedAmount
    );
    /// @notice `officials` (k, strictly ascending, by signature) recorded that a household left poverty. Its
    /// tranches not yet unlocked (`releasedAmount`) go back to the uncommitted pool; those that unlocked
    /// before the exit stay owed and claimable as before.
    event BeneficiaryExited(
        uint256 indexed projectId, bytes32 indexed commitment, address[] officials, bytes32 reasonHash, uint256 releasedAmount
    );
    /// @notice Tranche `trancheIndex` (`amount`) was paid to `recipient`, the household's bound account.
    event AidClaimed(
        uint256 indexed projectId, bytes32 indexed commitment, address indexed recipient, uint8 trancheIndex, uint256 amount
    );
    /// @notice A relayer batch skipped one entry: claimBySig refused it with `reason` (the revert data; empty
    /// when the entry ran out of its CLAIM_GAS_CAP). Nothing was paid or changed for it.
    event ClaimSkipped(uint256 indexed projectId, bytes32 indexed commitment, uint8 trancheIndex, bytes reason);
    /// @notice `approver` approved cancellation, as the project's manager or as a reviewer. A first half
    /// waits for the other until `expiresAt`; `expiresAt` is 0 when this approval completed the pair.
    event CancellationApproved(uint256 indexed projectId, address indexed approver, bool asReviewer, uint40 expiresAt);
    /// @notice `approver` withdrew their half-approval of cancellation.
    event CancellationWithdrawn(uint256 indexed projectId, address indexed approver);
    /// @notice The project is cancelled; `refundPool` (raised - claimed) goes back to donors.
    event ProjectCancelled(uint256 indexed projectId, uint256 refundPool);
    /// @notice `donor` took back `amount`, their pro-rata share of what was not paid out.
    event Refunded(uint256 indexed projectId, address indexed donor, uint256 amount);
    /// @notice The admin allowed or disallowed an ERC-20 for new projects.
    event TokenAllowlisted(address indexed token, bool allowed);

    // ---------------------------------------------------------------- errors

    /// @notice The registry address is not a contract.
    error AidEscrowInvalidRegistry(address registry);
    /// @notice The caller lacks `role` in the registry.
    error AidEscrowUnauthorized(address caller, bytes32 role);
    /// @notice The caller is not this project's manager.
    error AidEscrowNotProjectManager(uint256 projectId, address caller);
    /// @notice No project has this id.
    error AidEscrowUnknownProject(uint256 projectId);
    /// @notice The token is not allowlisted (ETH, address(0), always is).
    error AidEscrowTokenNotAllowed(address token);
    /// @notice Between 1 and `max` conditions are required.
    error AidEscrowInvalidConditionCount(uint256 count, uint256 max);
    /// @notice Condition ids must be non-zero and distinct.
    error AidEscrowInvalidCondition(uint256 index, bytes32 conditionId);
    /// @notice The threshold must be between 1 and `max`.
    error AidEscrowInvalidThreshold(uint8 threshold, uint8 max);
    /// @notice A donation, or project `projectId`'s amount per tranche, must be non-zero.
    error AidEscrowZeroAmount(uint256 projectId);
    /// @notice Project `projectId`'s maximum number of beneficiaries must be non-zero.
    error AidEscrowZeroMaxBeneficiaries(uint256 projectId);
    /// @notice Terms are frozen once the first donation arrived.
    error AidEscrowTermsFrozen(uint256 projectId, uint256 raised);
    /// @notice The project is in `actual` but the action needs `expected`.
    error AidEscrowWrongProjectStatus(uint256 projectId, ProjectStatus expected, ProjectStatus actual);
    /// @notice The action needs a live project (Funding or Active) but it is `actual`.
    error AidEscrowProjectNotLive(uint256 projectId, ProjectStatus actual);
    /// @notice ETH sent to an ERC-20 project, or the ERC-20 path used for an ETH project.
    error AidEscrowWrongToken(uint256 projectId, address token);
    /// @notice The donation names terms version `agreed` but the project's terms are at `current`.
    error AidEscrowTermsChanged(uint256 projectId, uint256 current, uint256 agreed);
    /// @notice The commitment has no bound account to pay.
    error AidEscrowIdentityNotBound(bytes32 commitment);
    /// @notice The household cannot be enrolled from its current status.
    error AidEscrowCannotEnrol(uint256 projectId, bytes32 commitment, EnrolmentStatus status);
    /// @notice The project already has `max` households enrolled.
    error AidEscrowCapacityReached(uint256 projectId, uint32 max);
    /// @notice Enrolling would commit `needed` but only `available` is uncommitted.
    error AidEscrowOverCommitment(uint256 projectId, uint256 needed, uint256 available);
    /// @notice No tranche is left to commit to a re-entering household.
    error AidEscrowNoTranchesLeft(uint256 projectId, bytes32 commitment);
    /// @notice An enrolment now would keep its publicity window open until `windowEndsAt`, not before the
    /// claim deadline `claimDeadline`: its money could never be paid.
    error AidEscrowWindowPastDeadline(uint256 projectId, uint40 windowEndsAt, uint40 claimDeadline);
    /// @notice An objection with this reason was dismissed during this window; a new one needs new evidence.
    error AidEscrowObjectionAlreadyDismissed(uint256 projectId, bytes32 commitment, bytes32 reasonHash);
    /// @notice The enrolment is in `actual` but the action needs `expected`.
    error AidEscrowWrongEnrolmentStatus(uint256 projectId, bytes32 commitment, EnrolmentStatus expected, EnrolmentStatus actual);
    /// @notice The publicity window closed at `windowEndsAt`.
    error AidEscrowPublicityWindowClosed(uint256 projectId, bytes32 commitment, uint40 windowEndsAt);
    /// @notice The publicity window is still open until `windowEndsAt`.
    error AidEscrowPublicityWindowOpen(uint256 projectId, bytes32 commitment, uint40 windowEndsAt);
    /// @notice The attesters given do not match those recorded at enrolment.
    error AidEscrowAttestersMismatch(uint256 projectId, bytes32 commitment);
    /// @notice Claims closed at `claimDeadline` (moved later by pauses; cancellation moves it to the
    /// cancellation time).
    error AidEscrowClaimsClosed(uint256 projectId, uint40 claimDeadline);
    /// @notice No such tranche.
    error AidEscrowUnknownTranche(uint256 projectId, uint8 trancheIndex, uint8 trancheCount);
    /// @notice The tranche unlocks at `unlockTime`.
    error AidEscrowTrancheLocked(uint256 projectId, uint8 trancheIndex, uint40 unlockTime);
    /// @notice The tranche was already claimed or forfeited.
    error AidEscrowTrancheSettled(uint256 projectId, bytes32 commitment, uint8 trancheIndex);
    /// @notice `caller` is not the account bound to `commitment`.
    error AidEscrowNotBeneficiary(bytes32 commitment, address caller);
    /// @notice The cached eligibility no longer holds and no attesters were given to re-prove it.
    error AidEscrowEligibilityUnproven(uint256 projectId, bytes32 commitment);
    /// @notice The signed amount differs from the project's amount per tranche.
    error AidEscrowWrongAmount(uint256 expected, uint256 signed);
    /// @notice A relayer batch reached entry `index` with only `gasLeft` gas: less than an entry may need.
    /// The whole batch reverts, so no entry is ever skipped because the batch itself ran low.
    error AidEscrowBatchOutOfGas(uint256 index, uint256 gasLeft);
    /// @notice The caller has nothing to refund in this project.
    error AidEscrowNothingToRefund(uint256 projectId, address donor);

    // ---------------------------------------------------------------- projects

    /// @notice Creates a project. Only programme managers.
    function createProject(ProjectTerms calldata terms) external returns (uint256 projectId);

    /// @notice Replaces the terms while the project is funding and nothing has been donated, and moves the
    /// terms version on (a donation naming the old one is refused); clears any cancellation half-approval
    /// given to the old terms. Only the project's manager, while they hold the manager role.
    function updateTerms(uint256 projectId, ProjectTerms calldata terms) external;

    /// @notice Approves cancellation as the project's manager (always, if the caller is the manager and
    /// holds the role) or as a reviewer. The first half counts for APPROVAL_LIFETIME (7 days) and only
    /// while its approver still holds that role; the second must come from the other role and another
    /// account. When both are in, claims close and refunds open.
    function approveCancellation(uint256 projectId) external;

    /// @notice Withdraws the caller's half-approval of cancellation.
    function withdrawCancellation(uint256 projectId) external;

    // ---------------------------------------------------------------- donations

    /// @notice Donates ETH to an ETH project while it is funding and not paused.
    /// @param agreedVersion the terms version the donor agrees to (termsVersion(projectId) when they read the
    /// terms); refused if the manager changed the terms since
    function donate(uint256 projectId, uint256 agreedVersion) external payable;

    /// @notice Donates `amount` of the project's ERC-20 (approve first), counted by the balance change.
    function donateToken(uint256 projectId, uint256 amount, uint256 agreedVersion) external;

    /// @notice Donates with an EIP-2612 permit. A front-run permit does not block the donation:
    /// an existing allowance is used instead.
    function donateWithPermit(
        uint256 projectId,
        uint256 amount,
        uint256 agreedVersion,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    // ---------------------------------------------------------------- identification

    /// @notice Enrols a household proven eligible and starts its publicity window, which must end before the
    /// claim deadline. Only officials, not while paused.
    /// @param attesters see IAidRegistry.verifyConditions
    function enrol(uint256 projectId, bytes32 commitment, address[] calldata attesters) external;

    /// @notice Objects to an enrolment during its publicity window. Anyone may call, also while paused. An
    /// objection with the reason of one dismissed in this window is refused (new evidence, new hash).
    function object(uint256 projectId, bytes32 commitment, bytes32 reasonHash) external;

    /// @notice Rules on a pending objection. Only reviewers.
    /// @param attesters when upheld, the attesters recorded at enrolment (their records are charged)
    function ruleOnObjection(uint256 projectId, bytes32 commitment, bool upheld, address[] calldata attesters) external;

    /// @notice Dismisses the pending objections to the listed enrolments in one transaction (for example all
    /// of one objector's, found from ObjectionRaised); entries without one are passed over. Only reviewers.
    /// @return dismissed the number of objections dismissed
    function dismissObjections(uint256 projectId, bytes32[] calldata commitments) external returns (uint256 dismissed);

    /// @notice Records that a household left poverty, on the EIP-712 signatures of k (the project's
    /// threshold) distinct current officials over ExitApproval(projectId, commitment, reasonHash, enrolledAt,
    /// deadline), ECDSA or ERC-1271. Only after the enrolment's publicity window, not while paused. Tranches
    /// not yet unlocked are released; tranches that unlocked before the exit stay owed to the household and
    /// claimable as before (with the eligibility they need). Anyone may submit: the signatures are the
    /// authority.
    /// @param deadline the signatures are valid while block.timestamp < deadline
    /// @param officials the signers, strictly ascending
    function recordExit(
        uint256 projectId,
        bytes32 commitment,
        bytes32 reasonHash,
        uint256 deadline,
        address[] calldata officials,
        bytes[] calldata signatures
    ) external;

    // ---------------------------------------------------------------- claims and refunds

    /// @notice Claims a tranche for the caller's household. The caller must be its bound account.
    /// @param attesters empty while the cached proof holds; otherwise a fresh proof
    function claim(uint256 projectId, bytes32 commitment, uint8 trancheIndex, address[] calldata attesters) external;

    /// @notice Submits a claim signed (EIP-712) by the household's bound account; anyone may pay the gas.
    /// The request must carry the account's current claim nonce (claimNonce), which is read, not consumed:
    /// replay is stopped by the tranche being settled.
    function claimBySig(ClaimRequest calldata request, bytes calldata signature, address[] calldata attesters)
        external;

    /// @notice A relayer's batch of signed claims (not payable). Each entry is tried as claimBySig with at most
    /// CLAIM_GAS_CAP gas; an entry refused for a reason of its own (nonce moved, tranche settled, wallet
    /// refusing the money, gas bomb...) is skipped with ClaimSkipped and the others are paid. The batch
    /// reverts only while paused, or if it reaches an entry with less than that entry may need
    /// (AidEscrowBatchOutOfGas).
    /// @return paid the number of claims paid
    function claimBatch(SignedClaim[] calldata claims) external returns (uint256 paid);

    /// @notice Pays the caller floor(contribution x (raised - claimed) / raised): their pro-rata share of
    /// what a cancelled or closed project did not pay out, rounded down so that no donor gets back more
    /// than they gave. The rounding dust (under one wei per donor) stays held by the project.
    function refund(uint256 projectId) external;

    // ---------------------------------------------------------------- administration

    // pause() and unpause() (IAidPausable): donations, enrolments, exits and claims stop for at most
    // MAX_PAUSE; every project's claim deadline moves later by the time paused. Refunds, objections and
    // rulings still work. Only the registry's guardian.

    /// @notice Allows or disallows an ERC-20 for new projects; existing projects are unaffected.
    /// Only the registry's default admin.
    function setTokenAllowed(address token, bool allowed) external;

    // ---------------------------------------------------------------- views

    /// @notice Upper bounds that keep every loop small.
    function MAX_CONDITIONS() external view returns (uint256);
    function MAX_THRESHOLD() external view returns (uint8);
    function MAX_TRANCHES() external view returns (uint256);

    /// @notice The most gas one entry of claimBatch may use.
    function CLAIM_GAS_CAP() external view returns (uint256);

    /// @notice The registry this escrow trusts for roles, identities and attestations.
    function registry() external view returns (IAidRegistry);

    /// @notice Number of projects created; ids run from 1 to this.
    function projectCount() external view returns (uint256);

    /// @notice A project's terms as agreed (claimDeadline shows the cancellation time after a cancellation;
    /// see claimDeadline for the deadline moved by pauses).
    function projectTerms(uint256 projectId) external view returns (ProjectTerms memory);

    /// @notice The version of a project's terms: 1 at creation, one more per update. Donations name it.
    function termsVersion(uint256 projectId) external view returns (uint256);

    /// @notice Claims are accepted while now < claimDeadline(projectId): the agreed deadline moved later by
    /// every second paused since the terms were set, or the cancellation time.
    function claimDeadline(uint256 projectId) external view returns (uint40);

    /// @notice A project's manager.
    function projectManager(uint256 projectId) external view returns (address);

    /// @notice A project's status now.
    function projectStatus(uint256 projectId) external view returns (ProjectStatus);

    /// @notice A project's money figures and counters.
    function projectLedger(uint256 projectId) external view returns (ProjectLedger memory);

    /// @notice A household's enrolment in a project.
    function enrolment(uint256 projectId, bytes32 commitment) external view returns (Enrolment memory);

    /// @notice The cancellation half-approval in force (all zero if none or expired).
    function cancellationApproval(uint256 projectId) external view returns (CancellationHalf memory);

    /// @notice What `donor` has given and not yet taken back.
    function contributionOf(uint256 projectId, address donor) external view returns (uint256);

    /// @notice What `donor` would receive from refund() now (zero before refunds open).
    function refundableOf(uint256 projectId, address donor) external view returns (uint256);

    /// @notice Upheld objections against enrolments an official attested (one per enrolment, however
    /// many of its conditions the official attested).
    function upheldObjectionsAgainst(address official) external view returns (uint32);

    /// @notice Whether `token` may be used by new projects.
    function isTokenAllowed(address token) external view returns (bool);

    /// @notice The EIP-712 typehashes of ClaimRequest and ExitApproval.
    function CLAIM_TYPEHASH() external view returns (bytes32);
    function EXIT_TYPEHASH() external view returns (bytes32);
}
