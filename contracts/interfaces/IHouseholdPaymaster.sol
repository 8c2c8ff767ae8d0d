// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IHouseholdAccountFactory} from "./IHouseholdAccountFactory.sol";
import {IHouseholdRegistry} from "./IHouseholdRegistry.sol";

/// @title A programme operator's ERC-4337 paymaster for household accounts
/// @notice Pays the gas (from the operator's EntryPoint deposit) of UserOperations that do one thing:
/// pay an aid token (or ETH) to a shop, within the household's daily cap, or make a call the operator
/// sponsors (the registry's re-bind cancellation, so a household with its phone can always cancel). Only
/// for household accounts created by our factory and bound to a household in the registry.
///
/// The UserOperation's `paymasterAndData` is the paymaster address, its two gas limits (16 bytes each)
/// and four bytes of data: the UTC day number (unix time / 86400) the payment counts against. Validation
/// may not read the clock (ERC-7562), so the day is the household's word, and the paymaster returns it as
/// the operation's validity window (that day, 00:00:00 to 23:59:59 UTC), which the EntryPoint enforces.
///
/// Every refusal is a custom error with its values, raised during validation: a bundler's simulation and
/// `eth_estimateUserOperationGas` return it inside the EntryPoint's `FailedOpWithRevert(opIndex, "AA33
/// reverted", revertData)`, and {checkPayment} raises the same errors from a plain view before signing.
interface IHouseholdPaymaster {
    // ---------------------------------------------------------------- events

    /// @notice Payments in `token` (zero for ETH) are sponsored up to `cap` per household per UTC day
    /// (zero: not sponsored).
    event DailyCapSet(address indexed token, uint256 cap);
    /// @notice Payments go only to allowlisted shops while `enabled`.
    event ShopAllowlistEnabled(bool enabled);
    /// @notice `shop` was added to (`allowed`) or removed from the shop allowlist.
    event ShopAllowed(address indexed shop, bool allowed);
    /// @notice Calls to `target` with `selector` (no ETH) are sponsored while `sponsored`.
    event CallSponsored(address indexed target, bytes4 indexed selector, bool sponsored);
    /// @notice The per-operation gas cost and per-household daily operation count limits changed.
    event LimitsSet(uint256 maxCostPerOperation, uint32 maxOperationsPerDay);

    // ---------------------------------------------------------------- errors

    /// @notice A constructor dependency (factory or registry) is not a contract.
    error HouseholdPaymasterInvalidDependency(address dependency);
    /// @notice `account` was not created by the household account factory.
    error HouseholdPaymasterNotHouseholdAccount(address account);
    /// @notice `account` is not bound to a household in the registry (or was replaced by a re-bind).
    error HouseholdPaymasterHouseholdNotBound(address account);
    /// @notice The operation could cost up to `maxCost` wei of gas; the paymaster pays at most `limit`.
    error HouseholdPaymasterCostTooHigh(uint256 maxCost, uint256 limit);
    /// @notice `paymasterData` must be the four-byte UTC day number, between 1 and the largest day whose
    /// end fits the EntryPoint's 48-bit timestamps.
    error HouseholdPaymasterInvalidPaymasterData(bytes paymasterData);
    /// @notice The operation counts against `day`, but the household already used the later day `lastDay`.
    error HouseholdPaymasterDayPassed(uint32 day, uint32 lastDay);
    /// @notice `account` already had `limit` sponsored operations on `day`.
    error HouseholdPaymasterTooManyOperations(address account, uint32 day, uint32 limit);
    /// @notice The call data is not one ERC-7821 batch call (`execute` in the default batch mode); `selector`
    /// is what it starts with.
    error HouseholdPaymasterUnsupportedCallData(bytes4 selector);
    /// @notice The batch holds `calls` calls; a sponsored operation makes exactly one.
    error HouseholdPaymasterNotOneCall(uint256 calls);
    /// @notice The call (to `target`, starting with `selector`, sending `value` wei) is neither a payment nor
    /// a call the operator sponsors.
    error HouseholdPaymasterCallNotSponsored(address target, bytes4 selector, uint256 value);
    /// @notice Payments in `token` (zero for ETH) are not sponsored.
    error HouseholdPaymasterTokenNotSponsored(address token);
    /// @notice `shop` is not on this programme's shop allowlist.
    error HouseholdPaymasterShopNotAllowed(address shop);
    /// @notice `account` holds `balance` of `token`, less than the `amount` it would pay.
    error HouseholdPaymasterInsufficientBalance(address account, address token, uint256 balance, uint256 amount);
    /// @notice Paying `amount` of `token` would pass `account`'s daily cap; `remaining` is left today.
    error HouseholdPaymasterDailyCapExceeded(address account, address token, uint256 amount, uint256 remaining);

    // ---------------------------------------------------------------- operator

    /// @notice Sponsors payments in `token` (zero for ETH) up to `cap` per household per UTC day; zero stops.
    /// Only the operator (owner).
    function setDailyCap(address token, uint224 cap) external;

    /// @notice Turns the shop allowlist on or off. Only the operator.
    function setShopAllowlistEnabled(bool enabled) external;

    /// @notice Adds `shop` to or removes it from the shop allowlist. Only the operator.
    function setShopAllowed(address shop, bool allowed) external;

    /// @notice Sponsors (or stops sponsoring) calls to `target` starting with `selector` that send no ETH,
    /// such as the registry's re-bind cancellation. Only the operator.
    function setCallSponsored(address target, bytes4 selector, bool sponsored) external;

    /// @notice Sets the most an operation may cost (its `requiredPreFund`, wei) and how many sponsored
    /// operations a household may make per UTC day. Only the operator.
    function setLimits(uint256 maxCostPerOperation, uint32 maxOperationsPerDay) external;

    /// @notice Adds the sent ETH to this paymaster's EntryPoint deposit. Anyone may fund it.
    function deposit() external payable;

    /// @notice Withdraws `amount` wei of the deposit to `to`. Only the operator.
    function withdraw(address payable to, uint256 amount) external;

    /// @notice Stakes the sent ETH in the EntryPoint with `unstakeDelaySec`: public bundlers require a
    /// stake of paymasters that read their own storage, as this one does. Only the operator.
    function addStake(uint32 unstakeDelaySec) external payable;

    /// @notice Starts the unstake delay. Only the operator.
    function unlockStake() external;

    /// @notice Withdraws the unlocked stake to `to`. Only the operator.
    function withdrawStake(address payable to) external;

    // ---------------------------------------------------------------- views

    /// @notice Checks, as validation would today, that `account` may pay `amount` of `token` (zero for ETH)
    /// to `to` with sponsored gas, reverting with the same error validation would. Returns what is left of
    /// today's cap after the payment.
    function checkPayment(address account, address token, address to, uint256 amount)
        external
        view
        returns (uint256 remainingToday);

    /// @notice The daily cap of `token` (zero: not sponsored).
    function dailyCap(address token) external view returns (uint256);

    /// @notice How much of `token` `account` paid with sponsored gas on UTC day `day`.
    function spentOn(address account, address token, uint32 day) external view returns (uint256);

    /// @notice How many sponsored operations `account` made on UTC day `day`.
    function operationsOn(address account, uint32 day) external view returns (uint32);

    /// @notice Whether the shop allowlist is on.
    function shopAllowlistEnabled() external view returns (bool);

    /// @notice Whether `shop` is on the shop allowlist.
    function isShopAllowed(address shop) external view returns (bool);

    /// @notice Whether calls to `target` starting with `selector` are sponsored.
    function isCallSponsored(address target, bytes4 selector) external view returns (bool);

    /// @notice The per-operation cost limit (wei) and the per-household daily operation count.
    function limits() external view returns (uint256 maxCostPerOperation, uint32 maxOperationsPerDay);

    /// @notice This paymaster's EntryPoint deposit (wei).
    function getDeposit() external view returns (uint256);

    /// @notice The factory whose accounts are sponsored.
    function factory() external view returns (IHouseholdAccountFactory);

    /// @notice The registry that says which accounts are bound to households.
    function registry() external view returns (IHouseholdRegistry);
}
