// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @dev Shared types of the PrecisionAid protocol. Every field is commented because auditors rebuild
/// the books from these shapes; storage layouts are packed for the claim, donate and refund paths
/// (see docs/DECISIONS.md, "Storage packing").

/// @notice Where an identity commitment stands. The account is the only address aid is ever paid to.
struct Identity {
    address account; // address currently bound to the commitment (zero if never bound)
    uint32 revocationEpoch; // bumped whenever an attestation about this commitment is revoked or shortened, and on every re-bind
    uint40 boundAt; // when the current account was bound
    bool accountVetoWaived; // a reviewer ruled the bound account compromised: it may not cancel a re-bind (cleared by the next re-bind)
}

/// @notice One official's attestation that a household meets one condition.
struct Attestation {
    uint40 expiry; // first second at which the attestation no longer counts (valid while now < expiry)
    uint40 attestedAt; // when it was last (re-)attested
    uint16 score; // optional published score or band behind the decision (0 = none)
    bool revoked; // revoked by its attester or a reviewer
    bool barred; // a reviewer revoked it: its attester may not attest this (commitment, condition) until a reviewer lifts the bar
}

/// @notice An official's standing and record. Kept in one slot so attesting pays for one read and one write.
struct Official {
    bool active; // currently appointed
    uint40 appointedAt; // when last appointed
    uint32 attestations; // attestations made (renewals included)
    uint32 attestationsRevoked; // attestations of theirs that were later revoked (by anyone)
    uint32 revocations; // revocations they performed
}

/// @notice An official's public profile, so attestations and approvals are traceable to a named person and
/// office. Public-role data only (officials act in public office); never a household's data.
struct OfficialProfile {
    string name; // display name as the official signs it, e.g. "Wang Fang 王芳" (1..MAX_PROFILE_FIELD_LENGTH bytes)
    string office; // post and office, e.g. "Poverty alleviation officer, Xijiang township" (0..MAX bytes)
    string jurisdiction; // area served, e.g. "cn-gz-leishan" (0..MAX bytes)
}

/// @notice Where a re-bind request stands. Stored statuses are None, Pending, Executed and Cancelled;
/// `rebindStatus` derives Approved (k current officials approved) and Expired (its deadline passed) from Pending.
enum RebindStatus {
    None, // never requested
    Pending, // gathering approvals
    Approved, // k current officials approved: executable from readyAt until expiresAt
    Expired, // not executed before expiresAt: a new request may be opened
    Executed, // the commitment moved to newAccount
    Cancelled // cancelled by the bound account or by k officials
}

/// @notice A request to move a commitment to a new account (a lost phone). Two slots; the approving and
/// cancelling officials are kept in bounded lists beside it (see rebindApprovers, rebindCancelVoters).
struct RebindRequest {
    address newAccount; // account to bind once approved and delayed
    uint32 nonce; // request number (1, 2, ...); approvals and cancel votes are keyed by it
    uint40 expiresAt; // approvals, cancel votes and execution are refused from then on
    RebindStatus status; // stored: Pending, Executed or Cancelled (None before the first request)
    address requester; // official who opened it; may not open the next one if this one is cancelled or expires
    uint40 readyAt; // 0 until k current officials approved; then the first second execution is allowed
}

/// @notice One row of a batch attestation.
struct AttestationInput {
    bytes32 commitment; // salted identity commitment of the household
    bytes32 conditionId; // e.g. keccak256("household.income-below-line")
    uint40 expiry; // first second at which it no longer counts
    bytes32 evidenceHash; // hash of the off-chain evidence file (not stored, published in the event)
    uint16 score; // optional score or band
}

/// @notice What a manager proposes. Fixed once the first donation arrives.
struct ProjectTerms {
    address token; // address(0) for ETH, otherwise an allowlisted ERC-20
    bytes32 category; // short label, e.g. "education" as bytes32
    bytes32 region; // short region code, e.g. "cn-gz-leishan" as bytes32
    string metadataURI; // where the human description lives (IPFS, HTTPS)
    bytes32[] conditions; // required condition ids, distinct and non-zero, 1..MAX_CONDITIONS
    uint8 threshold; // k: distinct current officials needed per condition, 1..MAX_THRESHOLD
    uint88 amountPerTranche; // paid per beneficiary per tranche, in token units
    uint40[] trancheUnlockTimes; // strictly increasing, 1..MAX_TRANCHES, all before claimDeadline
    uint32 maxBeneficiaries; // cap on simultaneously enrolled households
    uint40 fundingDeadline; // donations accepted while now < fundingDeadline
    uint40 claimDeadline; // claims accepted while now < claimDeadline; refunds open from then on
    uint32 publicityWindow; // seconds a new enrolment stays open to objections
}

/// @notice Lifecycle of a project, derived from time and flags. Values only ever increase.
enum ProjectStatus {
    None, // no such project
    Funding, // now < fundingDeadline: donations, enrolments and claims
    Active, // fundingDeadline <= now < claimDeadline: enrolments and claims
    Cancelled, // a manager and a reviewer cancelled it: refunds
    Closed // now >= claimDeadline: refunds
}

/// @notice Where one household stands in one project.
enum EnrolmentStatus {
    None, // never enrolled
    Enrolled, // committed; claims after the publicity window
    Objected, // an objection holds every payment until a reviewer rules
    Removed, // objection upheld: final for this project
    Exited // left poverty (official record); may re-enter for future tranches
}

/// @notice A household's enrolment in a project (one slot).
struct Enrolment {
    EnrolmentStatus status; // see EnrolmentStatus
    uint16 settledMask; // bit i set: tranche i was claimed or released (an exit releases tranches not yet unlocked)
    uint40 enrolledAt; // when (re-)enrolled; an exit's signatures name it, so they fit one enrolment only
    uint40 windowEndsAt; // objections accepted while now < windowEndsAt; claims from then on
    uint40 eligibleUntil; // cached: earliest expiry among the attestations proven at the last check
    uint64 epoch; // cached: registry eligibility epoch at the last check (see IAidRegistry.eligibilityEpoch)
    uint48 reasonTag; // the last objection's reason (top 47 bits of its hash, lowest bit set): a dismissed
    // objection cannot be raised again with the same reason during the same window
}

/// @notice A project's money figures and counters, as returned by views.
struct ProjectLedger {
    uint256 raised; // total donated
    uint256 committed; // owed or paid to enrolled households (claimed included, forfeited excluded)
    uint256 claimed; // paid to households
    uint256 refunded; // paid back to donors
    uint32 donors; // distinct donors
    uint32 refundedDonors; // donors who took their refund
    uint32 enrolled; // households currently enrolled or under objection
    uint32 enrolments; // enrolments ever made (re-entries included)
    uint32 exited; // exits recorded
    uint32 objectionsUpheld; // enrolments removed by an upheld objection
}

/// @notice One entry of a relayer's batch (IAidEscrow.claimBatch): what claimBySig takes.
struct SignedClaim {
    ClaimRequest request; // the signed claim
    bytes signature; // the bound account's signature over it (65-byte ECDSA, or what its ERC-1271 accepts)
    address[] attesters; // empty while the cached eligibility proof holds; otherwise a fresh proof
}

/// @notice A claim signed by the beneficiary's bound account and submitted by anyone.
struct ClaimRequest {
    uint256 projectId; // project to claim from
    bytes32 commitment; // household claiming
    uint8 trancheIndex; // tranche to claim
    address recipient; // must be the commitment's bound account; funds go nowhere else
    uint256 amount; // must equal the project's amount per tranche
    uint256 nonce; // the recipient's current claim nonce (IAidClaimNonces.claimNonce); read, never consumed
    uint256 deadline; // signature valid while block.timestamp < deadline (the same half-open rule as every window)
}

/// @notice The first half of a two-person cancellation, escrow project or roster programme (one slot).
struct CancellationHalf {
    address approver; // who gave it (zero if none)
    uint40 approvedAt; // when; it counts for 7 days (AidCancellation.APPROVAL_LIFETIME) while its approver keeps the role
    bool asReviewer; // given as a reviewer (true) or as the manager (false)
}
