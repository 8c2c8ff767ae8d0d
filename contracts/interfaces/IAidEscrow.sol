// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {
    ProjectTerms,
    ProjectStatus,
    ProjectLedger,
    EnrolmentStatus,
    Enrolment,
    ClaimRequest
} from "./AidTypes.sol";
import {IAidRegistry} from "./IAidRegistry.sol";

/// @title PrecisionAid escrow: conditional aid projects
/// @notice Donors fund projects; officials enrol households proven eligible in the registry; after a
/// publicity window during which anyone may object, households pull each tranche once it unlocks and
/// while they remain eligible. Unpaid funds go back to donors pro rata after cancellation or the claim
/// deadline. Money leaves a project only to its enrolled households or back to its donors: there is
/// no admin, owner or upgrade path to anywhere else.
/// @dev Conservation: for every project, raised = claimed + refunded + held. Every window is half-open
/// (valid while block.timestamp < end).
interface IAidEscrow {
    // ---------------------------------------------------------------- events

    /// @notice A project was created by `manager` with `terms`.
    event ProjectCreated(uint256 indexed projectId, address indexed manager, ProjectTerms terms);
    /// @notice The manager replaced the terms before any donation.
    event ProjectTermsUpdated(uint256 indexed projectId, ProjectTerms terms);
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
    /// @notice `official` recorded that a household left poverty; its unpaid tranches are released.
    event BeneficiaryExited(
        uint256 indexed projectId, bytes32 indexed commitment, address indexed official, bytes32 reasonHash, uint256 releasedAmount
    );
    /// @notice Tranche `trancheIndex` (`amount`) was paid to `recipient`, the household's bound account.
    event AidClaimed(
        uint256 indexed projectId, bytes32 indexed commitment, address indexed recipient, uint8 trancheIndex, uint256 amount
    );
    /// @notice `approver` approved cancellation, as the project's manager or as a reviewer.
    event CancellationApproved(uint256 indexed projectId, address indexed approver, bool asReviewer);
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
    /// @notice The amount per tranche must be non-zero.
    error AidEscrowZeroAmount();
    /// @notice Between 1 and `max` tranches are allowed.
    error AidEscrowInvalidTrancheCount(uint256 count, uint256 max);
    /// @notice Unlock times must be strictly increasing and before the claim deadline.
    error AidEscrowInvalidUnlockTime(uint256 index, uint40 unlockTime);
    /// @notice The deadlines must satisfy now < fundingDeadline <= claimDeadline.
    error AidEscrowInvalidDeadlines(uint40 fundingDeadline, uint40 claimDeadline);
    /// @notice The maximum number of beneficiaries must be non-zero.
    error AidEscrowZeroMaxBeneficiaries();
    /// @notice The publicity window must last at least one second.
    error AidEscrowZeroPublicityWindow();
    /// @notice Terms are frozen once the first donation arrived.
    error AidEscrowTermsFrozen(uint256 projectId, uint256 raised);
    /// @notice The project is in `actual` but the action needs `expected`.
    error AidEscrowWrongProjectStatus(uint256 projectId, ProjectStatus expected, ProjectStatus actual);
    /// @notice The action needs a live project (Funding or Active) but it is `actual`.
    error AidEscrowProjectNotLive(uint256 projectId, ProjectStatus actual);
    /// @notice ETH sent to an ERC-20 project, or the ERC-20 path used for an ETH project.
    error AidEscrowWrongToken(uint256 projectId, address token);
    /// @notice The token delivered `received` instead of `expected` (fee-on-transfer and similar are refused).
    error AidEscrowTransferShortfall(address token, uint256 expected, uint256 received);
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
    /// @notice The enrolment is in `actual` but the action needs `expected`.
    error AidEscrowWrongEnrolmentStatus(uint256 projectId, bytes32 commitment, EnrolmentStatus expected, EnrolmentStatus actual);
    /// @notice The publicity window closed at `windowEndsAt`.
    error AidEscrowPublicityWindowClosed(uint256 projectId, bytes32 commitment, uint40 windowEndsAt);
    /// @notice The publicity window is still open until `windowEndsAt`.
    error AidEscrowPublicityWindowOpen(uint256 projectId, bytes32 commitment, uint40 windowEndsAt);
    /// @notice The attesters given do not match those recorded at enrolment.
    error AidEscrowAttestersMismatch(uint256 projectId, bytes32 commitment);
    /// @notice Claims closed at `claimDeadline` (cancellation moves it to the cancellation time).
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
    /// @notice The signed claim's deadline has passed.
    error AidEscrowSignatureExpired(uint256 deadline);
    /// @notice The signature is not the recipient's (EOA or ERC-1271).
    error AidEscrowInvalidSignature(address recipient);
    /// @notice The signed amount differs from the project's amount per tranche.
    error AidEscrowWrongAmount(uint256 expected, uint256 signed);
    /// @notice This approver already approved cancellation.
    error AidEscrowCancellationAlreadyApproved(uint256 projectId, address approver);
    /// @notice The caller has nothing to refund in this project.
    error AidEscrowNothingToRefund(uint256 projectId, address donor);
    /// @notice The ERC-20 allowance is too low (after a failed permit).
    error AidEscrowInsufficientAllowance(address token, uint256 allowance, uint256 needed);

    // ---------------------------------------------------------------- projects

    /// @notice Creates a project. Only programme managers.
    function createProject(ProjectTerms calldata terms) external returns (uint256 projectId);

    /// @notice Replaces the terms while the project is funding and nothing has been donated; clears any
    /// cancellation approval given to the old terms. Only the project's manager.
    function updateTerms(uint256 projectId, ProjectTerms calldata terms) external;

    /// @notice Approves cancellation as the project's manager or as a reviewer. When both have
    /// approved, claims close and refunds open.
    function approveCancellation(uint256 projectId) external;

    // ---------------------------------------------------------------- donations

    /// @notice Donates ETH to an ETH project while it is funding.
    function donate(uint256 projectId) external payable;

    /// @notice Donates `amount` of the project's ERC-20 (approve first).
    function donateToken(uint256 projectId, uint256 amount) external;

    /// @notice Donates with an EIP-2612 permit. A front-run permit does not block the donation:
    /// an existing allowance is used instead.
    function donateWithPermit(uint256 projectId, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external;

    // ---------------------------------------------------------------- identification

    /// @notice Enrols a household proven eligible and starts its publicity window. Only officials.
    /// @param attesters see IAidRegistry.verifyConditions
    function enrol(uint256 projectId, bytes32 commitment, address[] calldata attesters) external;

    /// @notice Objects to an enrolment during its publicity window. Anyone may call.
    function object(uint256 projectId, bytes32 commitment, bytes32 reasonHash) external;

    /// @notice Rules on a pending objection. Only reviewers.
    /// @param attesters when upheld, the attesters recorded at enrolment (their records are charged)
    function ruleOnObjection(uint256 projectId, bytes32 commitment, bool upheld, address[] calldata attesters) external;

    /// @notice Records that a household left poverty: unpaid tranches are released. Only officials.
    function recordExit(uint256 projectId, bytes32 commitment, bytes32 reasonHash) external;

    // ---------------------------------------------------------------- claims and refunds

    /// @notice Claims a tranche for the caller's household. The caller must be its bound account.
    /// @param attesters empty while the cached proof holds; otherwise a fresh proof
    function claim(uint256 projectId, bytes32 commitment, uint8 trancheIndex, address[] calldata attesters) external;

    /// @notice Submits a claim signed (EIP-712) by the household's bound account; anyone may pay the gas.
    function claimBySig(ClaimRequest calldata request, bytes calldata signature, address[] calldata attesters)
        external;

    /// @notice Pays the caller floor(contribution x (raised - claimed) / raised): their pro-rata share of
    /// what a cancelled or closed project did not pay out, rounded down so that no donor gets back more
    /// than they gave. The rounding dust (under one wei per donor) stays held by the project.
    function refund(uint256 projectId) external;

    // ---------------------------------------------------------------- administration

    /// @notice Stops donations, enrolments and claims. Refunds and objections still work. Only the guardian.
    function pause() external;

    /// @notice Resumes. Only the guardian.
    function unpause() external;

    /// @notice Allows or disallows an ERC-20 for new projects; existing projects are unaffected.
    /// Only the registry's default admin.
    function setTokenAllowed(address token, bool allowed) external;

    // ---------------------------------------------------------------- views

    /// @notice Upper bounds that keep every loop small.
    function MAX_CONDITIONS() external view returns (uint256);
    function MAX_THRESHOLD() external view returns (uint8);
    function MAX_TRANCHES() external view returns (uint256);

    /// @notice The registry this escrow trusts for roles, identities and attestations.
    function registry() external view returns (IAidRegistry);

    /// @notice Number of projects created; ids run from 1 to this.
    function projectCount() external view returns (uint256);

    /// @notice A project's terms (claimDeadline shows the cancellation time after a cancellation).
    function projectTerms(uint256 projectId) external view returns (ProjectTerms memory);

    /// @notice A project's manager.
    function projectManager(uint256 projectId) external view returns (address);

    /// @notice A project's status now.
    function projectStatus(uint256 projectId) external view returns (ProjectStatus);

    /// @notice A project's money figures and counters.
    function projectLedger(uint256 projectId) external view returns (ProjectLedger memory);

    /// @notice A household's enrolment in a project.
    function enrolment(uint256 projectId, bytes32 commitment) external view returns (Enrolment memory);

    /// @notice What `donor` has given and not yet taken back.
    function contributionOf(uint256 projectId, address donor) external view returns (uint256);

    /// @notice What `donor` would receive from refund() now (zero before refunds open).
    function refundableOf(uint256 projectId, address donor) external view returns (uint256);

    /// @notice Upheld objections against enrolments an official attested (one per enrolment, however
    /// many of its conditions the official attested).
    function upheldObjectionsAgainst(address official) external view returns (uint32);

    /// @notice Whether `token` may be used by new projects.
    function isTokenAllowed(address token) external view returns (bool);

    /// @notice The EIP-712 typehash of ClaimRequest.
    function CLAIM_TYPEHASH() external view returns (bytes32);

    /// @notice The next nonce of a recipient's signed claims.
    function nonces(address owner) external view returns (uint256);
}
