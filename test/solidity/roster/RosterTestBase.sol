// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {AidRegistry} from "../../../contracts/AidRegistry.sol";
import {AidEscrow} from "../../../contracts/AidEscrow.sol";
import {AidRosterFactory} from "../../../contracts/AidRosterFactory.sol";
import {AidRosterBlueprint} from "../../../contracts/AidRosterBlueprint.sol";
import {AidRosterProgramme} from "../../../contracts/AidRosterProgramme.sol";
import {IAidRegistry} from "../../../contracts/interfaces/IAidRegistry.sol";
import {IAidEscrow} from "../../../contracts/interfaces/IAidEscrow.sol";
import {RosterProgrammeTerms, RosterInfo} from "../../../contracts/interfaces/AidRosterTypes.sol";
import {OfficialProfile} from "../../../contracts/interfaces/AidTypes.sol";

/// @notice The few cheatcodes the roster tests use. Hardhat 3's EDR serves forge-std's cheatcode
/// address; forge-std itself is not installed, so this is a private copy (another branch has a shared one).
interface RosterVm {
    function prank(address msgSender) external;
    function deal(address account, uint256 newBalance) external;
    function warp(uint256 newTimestamp) external;
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function addr(uint256 privateKey) external pure returns (address);
    function expectRevert(bytes calldata revertData) external;
}

/// @notice Assertions, `bound`, and a deployed registry + escrow + roster factory with every role handed out.
/// Officials are keyed by known private keys (sorted by address) so tests can sign root approvals.
abstract contract RosterTestBase {
    RosterVm internal constant vm = RosterVm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
    uint256 internal constant TRANCHES = 3;
    bytes32 private constant _DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    AidRegistry internal registry;
    AidEscrow internal escrow;
    AidRosterFactory internal factory;

    address internal admin = _label("admin");
    address internal manager = _label("manager");
    address internal reviewer = _label("reviewer");
    address internal guardian = _label("guardian");
    uint256[3] internal officialKeys; // sorted by address
    address[3] internal officials;

    error AssertionFailed(string message);

    function _deploy() internal {
        registry = new AidRegistry(admin, address(0), 2 days, 2, 3 days);
        escrow = new AidEscrow(IAidRegistry(address(registry)));
        factory = new AidRosterFactory(
            IAidRegistry(address(registry)), IAidEscrow(address(escrow)), address(new AidRosterBlueprint())
        );
        // Role ids are read first: a prank applies to the very next call.
        bytes32 managerRole = registry.MANAGER_ROLE();
        bytes32 reviewerRole = registry.REVIEWER_ROLE();
        bytes32 guardianRole = registry.GUARDIAN_ROLE();
        vm.prank(admin);
        registry.grantRole(managerRole, manager);
        vm.prank(admin);
        registry.grantRole(reviewerRole, reviewer);
        vm.prank(admin);
        registry.grantRole(guardianRole, guardian);
        uint256[3] memory keys = [uint256(0xA11CE), 0xB0B, 0xC4A1];
        // Insertion sort by address (three entries).
        for (uint256 i = 1; i < 3; ++i) {
            for (uint256 j = i; j > 0 && vm.addr(keys[j]) < vm.addr(keys[j - 1]); --j) {
                (keys[j], keys[j - 1]) = (keys[j - 1], keys[j]);
            }
        }
        for (uint256 i; i < 3; ++i) {
            officialKeys[i] = keys[i];
            officials[i] = vm.addr(keys[i]);
            vm.prank(admin);
            registry.addOfficial(officials[i], OfficialProfile("Roster official", "County office", "cn-gz-leishan"));
        }
    }

    /// @dev An ETH programme: tranches unlock at +10, +40 and +70 days; funding closes at +5 days,
    /// claims at +100 days; a 7-day publicity window; k = 2.
    function _createProgramme() internal returns (AidRosterProgramme programme) {
        uint256 t = block.timestamp;
        uint40[] memory unlocks = new uint40[](TRANCHES);
        unlocks[0] = uint40(t + 10 days);
        unlocks[1] = uint40(t + 40 days);
        unlocks[2] = uint40(t + 70 days);
        RosterProgrammeTerms memory terms = RosterProgrammeTerms({
            token: address(0),
            category: bytes32("education"),
            region: bytes32("cn-gz-leishan"),
            metadataURI: "ipfs://bafy-roster",
            trancheUnlockTimes: unlocks,
            fundingDeadline: uint40(t + 5 days),
            claimDeadline: uint40(t + 100 days),
            publicityWindow: 7 days,
            threshold: 2
        });
        vm.prank(manager);
        (, address at) = factory.createProgramme(terms);
        programme = AidRosterProgramme(at);
    }

    /// @dev The StandardMerkleTree leaf.
    function _leaf(uint256 index, address account, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
    }

    function _hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    /// @dev Root of a complete tree over `leaves` (length a power of two), sorted-pair hashing.
    function _root(bytes32[] memory leaves) internal pure returns (bytes32) {
        bytes32[] memory level = leaves;
        while (level.length > 1) {
            bytes32[] memory next = new bytes32[](level.length / 2);
            for (uint256 i; i < next.length; ++i) {
                next[i] = _hashPair(level[2 * i], level[2 * i + 1]);
            }
            level = next;
        }
        return level[0];
    }

    /// @dev Proof of leaf `i` in the same tree.
    function _proof(bytes32[] memory leaves, uint256 i) internal pure returns (bytes32[] memory proof) {
        uint256 depth;
        for (uint256 n = leaves.length; n > 1; n /= 2) ++depth;
        proof = new bytes32[](depth);
        bytes32[] memory level = leaves;
        for (uint256 d; d < depth; ++d) {
            proof[d] = level[i ^ 1];
            bytes32[] memory next = new bytes32[](level.length / 2);
            for (uint256 j; j < next.length; ++j) {
                next[j] = _hashPair(level[2 * j], level[2 * j + 1]);
            }
            level = next;
            i /= 2;
        }
    }

    /// @dev Approves the programme's current roster with officials 0 and 1 (ascending).
    function _approve(AidRosterProgramme programme) internal {
        uint256 deadline = block.timestamp + 1 days;
        bytes32 digest = _approvalDigest(programme, deadline);
        address[] memory signers = new address[](2);
        bytes[] memory signatures = new bytes[](2);
        for (uint256 i; i < 2; ++i) {
            signers[i] = officials[i];
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(officialKeys[i], digest);
            signatures[i] = abi.encodePacked(r, s, v);
        }
        programme.approveRoot(signers, signatures, deadline);
    }

    function _approvalDigest(AidRosterProgramme programme, uint256 deadline) internal view returns (bytes32) {
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            programme.eip712Domain();
        bytes32 domain = keccak256(
            abi.encode(_DOMAIN_TYPEHASH, keccak256(bytes(name)), keccak256(bytes(version)), chainId, verifyingContract)
        );
        RosterInfo memory r = programme.roster();
        bytes32 rosterHash = keccak256(
            abi.encode(programme.ROSTER_TYPEHASH(), r.root, r.version, r.leafCount, r.rosterTotal, r.contentHash)
        );
        bytes32 structHash = keccak256(abi.encode(programme.ROOT_APPROVAL_TYPEHASH(), rosterHash, deadline));
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) revert AssertionFailed(message);
    }

    function assertEq(uint256 a, uint256 b, string memory message) internal pure {
        if (a != b) revert AssertionFailed(message);
    }

    function bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        return lo + (x % (hi - lo + 1));
    }

    function _label(string memory name) internal pure returns (address) {
        return address(uint160(uint256(keccak256(bytes(name)))));
    }
}
