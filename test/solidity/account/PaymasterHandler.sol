// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {IHouseholdRegistry} from "../../../contracts/interfaces/IHouseholdRegistry.sol";
import {HouseholdAccountFactory} from "../../../contracts/accounts/HouseholdAccountFactory.sol";
import {HouseholdPaymaster} from "../../../contracts/accounts/HouseholdPaymaster.sol";
import {HouseholdAccount} from "../../../contracts/accounts/HouseholdAccount.sol";
import {TestStablecoin} from "../../../contracts/mocks/TestStablecoin.sol";
import {PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {Execution} from "@openzeppelin/contracts/interfaces/draft-IERC7579.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC7821} from "@openzeppelin/contracts/interfaces/draft-IERC7821.sol";

/// @notice Drives the real HouseholdPaymaster as the EntryPoint would (validation, then the account's
/// execution of the validated call) for three bound household accounts, with random amounts, days and
/// time, and keeps its own model of each household's day: what it spent and how many operations it made.
/// A validation the model refuses but the paymaster accepts is a GATE finding; the reverse, LIVENESS.
contract PaymasterHandler is ProtocolFixture {
    address public constant ENTRY_POINT = 0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108;
    uint256 public constant CAP = 100e6;
    uint32 public constant MAX_OPERATIONS = 4;
    uint256 public constant HOUSEHOLDS = 3;
    bytes32 private constant _BATCH_MODE = bytes32(uint256(1) << 248);

    HouseholdPaymaster public paymaster;
    TestStablecoin public token;
    address public shop = makeAddr("shop");
    address[HOUSEHOLDS] public accounts;

    /// @dev The model: per household, its latest day with a sponsored operation, spent and count on it.
    mapping(address account => uint256) public lastDay;
    mapping(address account => uint256) public spentToday;
    mapping(address account => uint256) public operationsToday;
    uint256 public paidToShop;
    uint256 public accepted;
    uint256 public gateFindings;
    uint256 public livenessFindings;

    constructor() {
        // The real registry (ProtocolFixture): two officials, who bind each household with their signatures.
        _deployProtocol(2, 2);
        IHouseholdRegistry households = IHouseholdRegistry(address(registry));
        HouseholdAccountFactory factory = new HouseholdAccountFactory(households);
        paymaster = new HouseholdPaymaster(address(this), factory, households, 1 ether, MAX_OPERATIONS);
        token = new TestStablecoin();
        paymaster.setDailyCap(address(token), uint224(CAP));
        bytes32[2][HOUSEHOLDS] memory keys = [
            [
                bytes32(0x40bfa4fbf9a662b349c03aeb20da5c8c87d518cb92d403e4fd4fc3bfbd99a987),
                bytes32(0xa739165310c568f9a2eedc497d57775ca49f8d3b10b48db661d987c2fc87f852)
            ],
            [
                bytes32(0xb3a23857d324ac0569b6dd4458942a68c86d05ddffc6ed81e162a6cd35a53624),
                bytes32(0xf5a7089825d03ae6d5f07464709be9dc8a971ede0f505b4abbcbe82a92603c5f)
            ],
            [
                bytes32(0x33333e9851c0c0ac0d5dd7cbba9b71146082d3db51887e6806f87cb0a17a22e6),
                bytes32(0x8e401c518ee03c3ebab5ae457a8fd6144249470af267421efe50ad87baf83f0c)
            ]
        ];
        for (uint256 i; i < HOUSEHOLDS; ++i) {
            accounts[i] = factory.createAccount(keys[i][0], keys[i][1], bytes32(0));
            _bind(keccak256(abi.encode("household", i)), accounts[i]);
            token.mint(accounts[i], 250e6);
        }
        vm.warp(20_000 days + 12 hours);
    }

    // ------------------------------------------------------------------ actions

    /// @notice A payment of `amount` by household `who`, counted against today or (if `yesterday`) the
    /// day before; executed like the EntryPoint does when validation accepts it.
    function pay(uint256 who, uint256 amount, bool yesterday) public {
        address account = accounts[who % HOUSEHOLDS];
        amount = bound(amount, 0, 300e6);
        uint256 day = block.timestamp / 1 days - (yesterday ? 1 : 0);
        bytes memory call = abi.encodeCall(IERC20.transfer, (shop, amount));
        PackedUserOperation memory op = _op(account, call, day);

        bool expected = _modelAccepts(account, amount, day);
        vm.prank(ENTRY_POINT);
        try paymaster.validatePaymasterUserOp(op, bytes32(0), 0) returns (bytes memory, uint256 validationData) {
            if (!expected) ++gateFindings;
            // The window returned is exactly the day, which the EntryPoint would enforce.
            if (validationData >> 160 != ((day * 1 days - 1) << 48) | ((day + 1) * 1 days - 1)) ++gateFindings;
            _modelRecord(account, amount, day);
            vm.prank(ENTRY_POINT);
            HouseholdAccount(payable(account)).execute(_BATCH_MODE, _batch(address(token), call));
            paidToShop += amount;
            ++accepted;
        } catch {
            if (expected) ++livenessFindings;
        }
    }

    /// @notice Time passes: up to two days.
    function warp(uint256 seconds_) public {
        vm.warp(block.timestamp + bound(seconds_, 1, 2 days));
    }

    // ------------------------------------------------------------------ the model

    function _modelAccepts(address account, uint256 amount, uint256 day) private view returns (bool) {
        if (day < lastDay[account]) return false;
        bool sameDay = day == lastDay[account];
        uint256 count = sameDay ? operationsToday[account] : 0;
        uint256 spent = sameDay ? spentToday[account] : 0;
        return count < MAX_OPERATIONS && spent + amount <= CAP && token.balanceOf(account) >= amount;
    }

    function _modelRecord(address account, uint256 amount, uint256 day) private {
        if (day != lastDay[account]) {
            lastDay[account] = day;
            spentToday[account] = 0;
            operationsToday[account] = 0;
        }
        spentToday[account] += amount;
        ++operationsToday[account];
    }

    function _op(address account, bytes memory call, uint256 day) private view returns (PackedUserOperation memory op) {
        op.sender = account;
        op.callData = abi.encodeCall(IERC7821.execute, (_BATCH_MODE, _batch(address(token), call)));
        op.paymasterAndData = abi.encodePacked(address(paymaster), uint128(100_000), uint128(0), uint32(day));
    }

    function _batch(address target, bytes memory call) private pure returns (bytes memory) {
        Execution[] memory calls = new Execution[](1);
        calls[0] = Execution(target, 0, call);
        return abi.encode(calls);
    }
}
