// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {RosterTestBase} from "./RosterTestBase.sol";
import {AidRosterProgramme} from "../../../contracts/AidRosterProgramme.sol";
import {IAidRosterProgramme} from "../../../contracts/interfaces/IAidRosterProgramme.sol";

/// @notice Fuzz tests of the roster's leaf format, its proof folding (against OpenZeppelin's
/// MerkleProof) and its claim-time boundaries.
contract AidRosterFuzzTest is RosterTestBase {
    AidRosterProgramme internal programme;

    function setUp() public {
        _deploy();
        programme = _createProgramme();
    }

    /// @notice The on-chain leaf is the StandardMerkleTree leaf for any input.
    function testFuzz_leafHashIsTheStandardFormat(uint256 index, address account, uint256 amount) public view {
        assertTrue(programme.leafHash(index, account, amount) == _leaf(index, account, amount), "leaf format");
    }

    /// @notice Any proof OpenZeppelin's MerkleProof folds to the published root pays its leaf; flipping
    /// one bit of one sibling makes it an invalid proof.
    function testFuzz_anyOpenZeppelinProofVerifies(uint256 seed, uint256 depth, uint256 index, uint256 amount, uint256 flip)
        public
    {
        depth = bound(depth, 0, 20);
        index = bound(index, 0, 1000);
        amount = bound(amount, 1, 1 ether);
        address account = _label(string(abi.encode(seed)));
        bytes32[] memory proof = new bytes32[](depth);
        for (uint256 i; i < depth; ++i) {
            proof[i] = keccak256(abi.encode(seed, i));
        }
        bytes32 leaf = _leaf(index, account, amount);
        bytes32 root = MerkleProof.processProof(proof, leaf);

        vm.deal(address(this), amount * TRANCHES);
        programme.donate{value: amount * TRANCHES}();
        vm.prank(manager);
        programme.publishRoster(root, uint32(index + 1), amount * TRANCHES, "ipfs://roster", bytes32(0));
        _approve(programme);
        vm.warp(programme.terms().trancheUnlockTimes[0]);

        if (depth > 0) {
            bytes32[] memory bad = new bytes32[](depth);
            for (uint256 i; i < depth; ++i) {
                bad[i] = proof[i];
            }
            uint256 at = flip % depth;
            bad[at] = bad[at] ^ bytes32(uint256(1) << (flip % 256));
            vm.prank(account);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAidRosterProgramme.AidRosterInvalidProof.selector, index, account, MerkleProof.processProof(bad, leaf)
                )
            );
            programme.claim(index, 0, amount, bad);
        }
        vm.prank(account);
        programme.claim(index, 0, amount, proof);
        assertEq(account.balance, amount, "paid the leaf's amount to the leaf's account");
    }

    /// @notice A claim at time t succeeds exactly when max(window end, unlock) <= t < claim deadline.
    function testFuzz_claimTimeBoundaries(uint256 offset, uint256 tranche) public {
        tranche = bound(tranche, 0, TRANCHES - 1);
        address account = _label("household");
        bytes32[] memory leaves = new bytes32[](2);
        leaves[0] = _leaf(0, account, 1 ether);
        leaves[1] = _leaf(1, _label("other"), 1 ether);
        vm.deal(address(this), 6 ether);
        programme.donate{value: 6 ether}();
        vm.prank(manager);
        programme.publishRoster(_root(leaves), 2, 6 ether, "ipfs://roster", bytes32(0));
        _approve(programme);
        uint256 opensAt = programme.roster().claimsOpenAt;
        uint256 unlock = programme.terms().trancheUnlockTimes[tranche];
        uint256 deadline = programme.terms().claimDeadline;
        uint256 t = block.timestamp + bound(offset, 0, deadline + 10 days - block.timestamp);
        vm.warp(t);
        bool expected = t >= opensAt && t >= unlock && t < deadline;
        bytes32[] memory proof = _proof(leaves, 0);
        vm.prank(account);
        (bool ok,) = address(programme).call(abi.encodeCall(programme.claim, (0, tranche, 1 ether, proof)));
        assertTrue(ok == expected, "claim succeeds exactly inside [max(window end, unlock), deadline)");
    }

    receive() external payable {}
}
