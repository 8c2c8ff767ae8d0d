// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {TestBase} from "../utils/Vm.sol";
import {PaymasterHandler} from "./PaymasterHandler.sol";
import {HouseholdPaymaster} from "../../../contracts/accounts/HouseholdPaymaster.sol";
import {TestStablecoin} from "../../../contracts/mocks/TestStablecoin.sol";

/// @notice Stateful invariants of the household paymaster's limits: the fuzzer calls only the handler,
/// which validates and executes random payments over random days for three households. The paymaster
/// sponsors exactly what the model allows (no day's total over the cap, no more operations than the
/// limit, nothing for a day already passed, nothing over the balance), and every sponsored payment
/// reached the shop.
contract HouseholdPaymasterInvariantTest is TestBase {
    PaymasterHandler internal handler;
    HouseholdPaymaster internal paymaster;
    TestStablecoin internal token;

    function setUp() public {
        handler = new PaymasterHandler();
        paymaster = handler.paymaster();
        token = handler.token();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @notice A scripted walk that reaches every outcome, so the invariants below are not vacuous.
    function test_handler_reachesAcceptanceAndEveryRefusal() public {
        handler.pay(0, 60e6, false); // accepted
        handler.pay(0, 50e6, false); // over the cap (60 + 50 > 100)
        handler.pay(0, 40e6, false); // accepted: exactly the cap
        handler.pay(1, 1e6, false);
        handler.pay(1, 1e6, false);
        handler.pay(1, 1e6, false);
        handler.pay(1, 1e6, false); // fourth operation: the limit
        handler.pay(1, 1e6, false); // fifth: refused
        handler.warp(1 days);
        handler.pay(0, 100e6, false); // a new day: the cap is back
        handler.pay(1, 1e6, true); // a day already passed: refused
        handler.pay(2, 300e6, false); // over the balance and the cap: refused
        assertEq(handler.accepted(), 7, "accepted payments");
        assertEq(token.balanceOf(handler.shop()), 204e6, "paid to the shop");
        invariant_sponsorsExactlyWhatTheModelAllows();
        invariant_everySponsoredPaymentReachedTheShop();
        invariant_noDayOverTheCapOrTheOperationLimit();
    }

    function invariant_sponsorsExactlyWhatTheModelAllows() public view {
        assertEq(handler.gateFindings(), 0, "the paymaster sponsored a payment the limits forbid");
        assertEq(handler.livenessFindings(), 0, "the paymaster refused a payment the limits allow");
    }

    function invariant_everySponsoredPaymentReachedTheShop() public view {
        assertEq(token.balanceOf(handler.shop()), handler.paidToShop(), "shop balance");
    }

    function invariant_noDayOverTheCapOrTheOperationLimit() public view {
        uint32 today = uint32(block.timestamp / 1 days);
        for (uint256 i; i < handler.HOUSEHOLDS(); ++i) {
            address account = handler.accounts(i);
            for (uint32 d = today - 3; d <= today; ++d) {
                assertLe(paymaster.spentOn(account, address(token), d), handler.CAP(), "spent over the cap");
                assertLe(paymaster.operationsOn(account, d), handler.MAX_OPERATIONS(), "operations over the limit");
            }
        }
    }
}
