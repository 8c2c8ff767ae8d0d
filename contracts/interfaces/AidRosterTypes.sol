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
    bool paused; // guardian pause: no donations, publications, approvals or claims
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
    uint32 refundedDonors; // donors who took their refund; the last one also takes the dust
}

/// @notice Where an objection to one leaf of one root version stands.
enum RosterObjectionStatus {
    None, // no objection (or dismissed)
    Pending, // holds every tranche of the leaf until a reviewer rules
    Upheld // the leaf is excluded from claims for this root version; its amount was released
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
