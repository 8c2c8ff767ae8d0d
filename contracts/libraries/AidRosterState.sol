// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ProjectStatus, CancellationHalf} from "../interfaces/AidTypes.sol";
import {RosterGate, RosterObjection, LeafRecord} from "../interfaces/AidRosterTypes.sol";
import {IAidRegistry} from "../interfaces/IAidRegistry.sol";

/// @dev A roster programme's storage, shared by AidRosterProgramme (donations, roots, claims, refunds) and its
/// linked library AidRosterGovernance (objections, rulings, cancellation, leaf changes), which reaches it
/// through one pointer. The programme's terms are immutables of the programme; the library gets them in a
/// RosterContext.
struct RosterState {
    /// @dev The claim gate of each root; only the current root's is non-zero (see RosterGate). Before the first
    /// publication the gate under bytes32(0) carries the pause and cancellation.
    mapping(bytes32 root => RosterGate) gates;
    /// @dev Claimed-or-held flags, 256 per word, keyed by (root version << 128 | word index); bit position =
    /// index x trancheCount + tranche. Objections set a leaf's bits to hold it; a leaf change sets them to move
    /// the leaf's unpaid tranches into its LeafRecord.
    mapping(uint256 versionAndWord => uint256 bits) settled;
    mapping(uint256 versionAndIndex => RosterObjection) objections;
    mapping(uint256 versionAndIndex => LeafRecord) leaves;
    mapping(address donor => uint256 amount) contributions;
    bytes32 root;
    bytes32 contentHash;
    /// @dev hashStruct(Roster) of the current roster, computed at publication so an approval reads one slot
    /// instead of four (version, leaf count, total and content hash).
    bytes32 rosterHash;
    uint128 raised;
    uint128 rosterTotal;
    uint128 refundPool;
    uint128 refunded;
    uint32 donorCount;
    uint32 refundedDonors;
    CancellationHalf cancellation;
    bytes32 category;
    bytes32 region;
    string rosterURI;
    string metadataURI;
}

/// @dev The programme's terms and roles (its immutables) and what the clock says now, for AidRosterGovernance.
struct RosterContext {
    IAidRegistry registry;
    address manager;
    address token;
    uint256 trancheCount;
    uint256 unlocksLow; // tranches 0..5, 40 bits each
    uint256 unlocksHigh; // tranches 6..11
    uint40 fundingDeadline;
    uint40 claimDeadline; // now: as agreed plus every second paused
    uint32 publicityWindow;
    uint8 threshold;
    bytes32 domainSeparator; // the programme's EIP-712 domain separator
}

/// @title RosterRules: the rules AidRosterProgramme and AidRosterGovernance both apply
/// @dev Internal functions: the one home of the leaf format, proof folding, flag positions and status.
library RosterRules {
    /// @dev Unlock times are packed six to an immutable word (6 x 40 bits).
    uint256 internal constant UNLOCKS_PER_WORD = 6;
    /// @dev The registry's role ids (AidRegistry.MANAGER_ROLE and so on); AidRosterFactory checks the registry
    /// uses them, so programmes need not store them.
    bytes32 internal constant MANAGER_ROLE = keccak256("precisionaid.role.manager");
    bytes32 internal constant REVIEWER_ROLE = keccak256("precisionaid.role.reviewer");
    bytes32 internal constant GUARDIAN_ROLE = keccak256("precisionaid.role.guardian");

    /// @dev The one place a programme's status is derived; the order makes it only move forward.
    /// @param claimDeadline the claim deadline now (as agreed plus every second paused)
    function status(uint40 cancelledAt, uint40 fundingDeadline, uint40 claimDeadline)
        internal
        view
        returns (ProjectStatus)
    {
        if (cancelledAt != 0) return ProjectStatus.Cancelled;
        uint40 nowTime = uint40(block.timestamp);
        if (nowTime >= claimDeadline) return ProjectStatus.Closed;
        if (nowTime < fundingDeadline) return ProjectStatus.Funding;
        return ProjectStatus.Active;
    }

    function unlockTime(uint256 low, uint256 high, uint256 tranche) internal pure returns (uint40) {
        uint256 word = tranche < UNLOCKS_PER_WORD ? low : high;
        return uint40(word >> ((tranche % UNLOCKS_PER_WORD) * 40));
    }

    function objectionKey(uint32 version, uint256 index) internal pure returns (uint256) {
        return (uint256(version) << 128) | index;
    }

    /// @dev The flags word key and bit of a (version, position): index < leafCount < 2**32 and tranche <
    /// MAX_TRANCHES, so the position cannot overflow.
    function flagOf(uint32 version, uint256 position) internal pure returns (uint256 key, uint256 bit) {
        key = (uint256(version) << 128) | (position >> 8);
        bit = 1 << (position & 0xff);
    }

    /// @dev Sets the flags of a leaf's unpaid tranches; returns the tranches this call set (at most MAX_TRANCHES
    /// iterations).
    function holdLeaf(RosterState storage st, uint32 version, uint256 index, uint256 trancheCount)
        internal
        returns (uint16 held)
    {
        uint256 first = index * trancheCount;
        for (uint256 t; t < trancheCount; ++t) {
            (uint256 key, uint256 bit) = flagOf(version, first + t);
            uint256 word = st.settled[key];
            if (word & bit != 0) continue;
            st.settled[key] = word | bit;
            held |= uint16(1 << t);
        }
    }

    /// @dev Clears the flags of every tranche of a leaf. Only for a leaf held during the publicity window, when
    /// none of its tranches can have been paid.
    function releaseLeaf(RosterState storage st, uint32 version, uint256 index, uint256 trancheCount) internal {
        uint256 first = index * trancheCount;
        for (uint256 t; t < trancheCount; ++t) {
            (uint256 key, uint256 bit) = flagOf(version, first + t);
            st.settled[key] &= ~bit;
        }
    }

    /// @dev The StandardMerkleTree leaf: keccak256(bytes.concat(keccak256(abi.encode(index, account,
    /// amount)))). Hashing twice keeps a 64-byte internal node from passing as a leaf (docs/THREATS.md).
    /// Written in assembly to hash from scratch memory without allocating.
    function leaf(uint256 index, address account, uint256 amount) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, index)
            mstore(add(ptr, 0x20), and(account, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(ptr, 0x40), amount)
            mstore(0x00, keccak256(ptr, 0x60))
            h := keccak256(0x00, 0x20)
        }
    }

    /// @dev The root a proof leads to, hashing sorted pairs exactly like OpenZeppelin's
    /// MerkleProof.processProofCalldata (Hashes.commutativeKeccak256), so StandardMerkleTree proofs verify
    /// unchanged. One assembly loop because it runs 20 times per county-scale claim: the library's Solidity loop
    /// costs about 60 gas more per level (test/solidity/roster checks the two agree on random input).
    function processProof(bytes32[] calldata proof, bytes32 node) internal pure returns (bytes32) {
        assembly ("memory-safe") {
            let end := add(proof.offset, shl(5, proof.length))
            for { let p := proof.offset } lt(p, end) { p := add(p, 0x20) } {
                let sibling := calldataload(p)
                switch lt(sibling, node)
                case 0 {
                    mstore(0x00, node)
                    mstore(0x20, sibling)
                }
                default {
                    mstore(0x00, sibling)
                    mstore(0x20, node)
                }
                node := keccak256(0x00, 0x40)
            }
        }
        return node;
    }

    /// @dev An objection reason's tag: the top 47 bits of its hash with the lowest bit set, so it is never zero.
    function reasonTag(bytes32 reasonHash) internal pure returns (uint48) {
        return uint48(uint256(reasonHash) >> 208) | 1;
    }

    function popcount(uint16 x) internal pure returns (uint256 n) {
        // Kernighan's trick: at most MAX_TRANCHES iterations.
        while (x != 0) {
            x &= x - 1;
            ++n;
        }
    }
}
