// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @dev Types of PrecisionAid roster programmes (county scale: one Merkle roster instead of one
/// enrolment per household). Every field is commented because auditors rebuild the books from these
/// shapes. See docs/DECISIONS-roster.md for why the storage looks the way it does.

/// @notice What a manager proposes when creating a roster programme. Fixed for the programme's life
/// (they become immutables of the programme contract).
struct RosterProgrammeTerms {
    address token; // address(0) for ETH, otherwise an ERC-20 allowlisted in the escrow
    bytes32 category; // short label, e.g. "education" as bytes32
    bytes32 region; // short region code, e.g. "cn-gz-leishan" as bytes32
    string metadataURI; // where the human description lives (IPFS, HTTPS)
    uint40[] trancheUnlockTimes; // strictly increasing, 1..MAX_TRANCHES, all before claimDeadline
    uint40 fundingDeadline; // donations accepted while now < fundingDeadline
    uint40 claimDeadline; // claims accepted while now < claimDeadline; refunds open from then on
    uint32 publicityWindow; // seconds between a root's approval and its first claim (objections meanwhile)
    uint8 threshold; // k: distinct current officials whose signatures approve a root, 1..MAX_THRESHOLD
}

/// @notice The state that gates every claim under one root, kept in ONE storage slot so a claim reads
/// exactly one slot of programme state. Stored under the root it belongs to (see docs/DECISIONS-roster.md,
/// "The claim gate"), so a proof that computes any other root finds an all-zero gate.
struct RosterGate {
    uint32 version; // root version (1, 2, ...); zero means "not the current root"
    uint32 leafCount; // leaves in the roster; indexes run 0..leafCount-1
    uint40 claimsOpenAt; // end of the publicity window: objections while now < it, claims from it on; 0 = not approved
    uint40 cancelledAt; // non-zero once cancelled: claims closed from then on, refunds open
    uint40 pausedAt; // the guardian's pause in force since then (0 = none; it lapses after MAX_PAUSE), mirrored
    // from the pause clock so a claim still reads one slot
}

/// @notice The current roster, as returned by views.
struct RosterInfo {
    bytes32 root; // Merkle root (OpenZeppelin StandardMerkleTree over (uint256, address, uint256))
    uint32 version; // bumped by every publication; approvals and objections are keyed by it
    uint32 leafCount; // leaves in the roster
    uint256 rosterTotal; // sum over leaves of amountPerTranche x tranches, minus upheld leaves
    string uri; // where the roster file lives
    bytes32 contentHash; // hash of the roster file's bytes
    uint40 claimsOpenAt; // end of the publicity window (0 until approved)
}

/// @notice A programme's money figures, as returned by views. Conservation: raised (+ anything sent
/// outside donations) = claimed + refunded + held, where claimed is rebuilt from Claimed events.
struct RosterLedger {
    uint256 raised; // total donated
    uint256 refunded; // paid back to donors
    uint256 held; // the programme's own balance of its token
    uint256 rosterTotal; // committed to the current roster (never above raised)
    uint256 refundPool; // what was held when refunds began (0 before the first refund)
    uint32 donors; // distinct donors
    uint32 refundedDonors; // donors who took their refund
}

/// @notice Where an objection to one leaf of one root version stands.
enum RosterObjectionStatus {
    None, // no objection (or dismissed)
    Pending, // holds every tranche of the leaf until a reviewer rules
    Upheld // the leaf is excluded from claims for this root version; its amount was released
}

/// @notice An objection to one leaf of one root version (one slot).
struct RosterObjection {
    RosterObjectionStatus status; // see RosterObjectionStatus
    uint48 reasonTag; // the last objection's reason (top 47 bits of its hash, lowest bit set): a dismissed
    // objection cannot be raised again with the same reason during the same window
}

/// @notice What k officials may do to one leaf after claims opened (IAidRosterProgramme.requestLeafChange).
enum LeafChangeKind {
    Rebind, // a lost phone: every unpaid tranche moves to a new account
    Exit, // the household left poverty: tranches not yet unlocked at the request are withheld; the rest stay owed
    Exclude // an upheld finding: every unpaid tranche is withheld
}

/// @notice Where a leaf's pending change stands.
enum LeafChangeStatus {
    None, // no change pending
    Pending, // takes effect at effectiveAt unless objected to before then
    Objected // held until a reviewer rules (upheld: void; dismissed: back to Pending)
}

/// @notice A leaf whose tranches were taken over by leaf changes (three slots, keyed by root version and index).
/// The leaf's unpaid tranches leave the claimed-flags bitmap at its first change (so unaffected claims read
/// nothing new) and are paid from here, to `payee`, at most once each.
struct LeafRecord {
    address payee; // who the moved tranches are paid to: the leaf's own account at first, a successor after a re-bind
    uint16 movedMask; // tranches taken out of the bitmap at the first change: payable only through this record
    uint16 paidMask; // moved tranches already paid through this record
    uint16 withheldMask; // moved tranches withheld for good: they stay in the programme and go back to donors
    uint16 changes; // changes requested so far: the nonce the officials' next LeafChange signatures carry
    // -- the pending change
    address newPayee; // the successor of a pending re-bind (zero for an exit or an exclusion)
    uint40 effectiveAt; // objections while now < effectiveAt; the change takes effect then unless objected to
    uint16 withholding; // what a pending exit or exclusion withholds
    LeafChangeKind kind; // of the pending change
    LeafChangeStatus status; // of the pending change
    // --
    uint128 amount; // the leaf's amount per tranche (proven at the first change)
    uint48 reasonTag; // the last objection to a change (as RosterObjection.reasonTag)
}

/// @notice k officials' request to change one leaf (IAidRosterProgramme.requestLeafChange). The officials sign
/// LeafChange(uint32 version, uint256 index, uint8 kind, address newAccount, bytes32 reasonHash, uint256 nonce,
/// uint256 deadline) under the programme's EIP-712 domain, nonce being the leaf's LeafRecord.changes.
struct LeafChangeRequest {
    uint256 index; // the leaf
    address account; // the leaf's own account in the roster (proven with `proof`)
    uint256 amount; // the leaf's amount per tranche
    bytes32[] proof; // Merkle proof of (index, account, amount) under the current root
    LeafChangeKind kind; // Rebind, Exit or Exclude
    address newAccount; // the successor for a re-bind; zero otherwise
    bytes32 reasonHash; // hash of the case file (lost-phone report, exit record, finding)
    uint256 deadline; // the signatures are valid while block.timestamp < deadline
}

/// @notice A claim signed (EIP-712) by the leaf's account and submitted by anyone (a relayer).
/// The signed struct is RosterClaim(index, tranche, account, amount, nonce, deadline); the proof is not
/// signed (it only proves the leaf) and the money goes to `account`, the leaf's own address.
struct SignedRosterClaim {
    uint256 index; // leaf index
    uint256 tranche; // tranche to claim (0-based)
    address account; // the leaf's beneficiary and signer (EOA or ERC-1271 wallet)
    uint256 amount; // the leaf's amount per tranche
    uint256 nonce; // the account's current claim nonce (see IAidRosterProgramme.claimNonce)
    uint256 deadline; // signature valid while block.timestamp < deadline
    bytes32[] proof; // Merkle proof of (index, account, amount)
    bytes signature; // the account's signature (65-byte ECDSA, or anything its ERC-1271 accepts)
}
