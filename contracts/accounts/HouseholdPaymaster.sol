// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Paymaster} from "@openzeppelin/contracts/account/paymaster/Paymaster.sol";
import {ERC4337Utils} from "@openzeppelin/contracts/account/utils/ERC4337Utils.sol";
import {ERC7579Utils} from "@openzeppelin/contracts/account/utils/draft-ERC7579Utils.sol";
import {IEntryPoint, PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {Execution} from "@openzeppelin/contracts/interfaces/draft-IERC7579.sol";
import {IERC7821} from "@openzeppelin/contracts/interfaces/draft-IERC7821.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IHouseholdAccountFactory} from "../interfaces/IHouseholdAccountFactory.sol";
import {IHouseholdPaymaster} from "../interfaces/IHouseholdPaymaster.sol";
import {IHouseholdRegistry} from "../interfaces/IHouseholdRegistry.sol";

/// @title HouseholdPaymaster
/// @notice OpenZeppelin's Paymaster with the programme operator's limits (IHouseholdPaymaster). One per
/// programme operator; the operator owns it (two-step transfer) and funds its EntryPoint deposit.
/// @dev Limits are counted in validation, when the EntryPoint has not yet run the call, so a payment whose
/// call later fails still counts against the day (it also cannot be retried for free). Validation reads
/// no clock: the day comes from `paymasterData` and goes back as the validity window. Spending is keyed
/// token-then-account, so each household's slot is storage associated with it in ERC-7562's sense;
/// the configuration read here (caps, shops) is the paymaster's own storage, which public bundlers allow
/// staked paymasters (docs/ACCOUNTS.md, "Running on a real network").
contract HouseholdPaymaster is IHouseholdPaymaster, Paymaster, Ownable2Step {
    /// @dev What `account` paid in one token on its latest sponsored day.
    struct DailySpend {
        uint32 day; // UTC day number of the latest sponsored payment in this token
        uint224 amount; // paid on that day
    }

    /// @dev How many sponsored operations an account made on its latest sponsored day.
    struct DailyOperations {
        uint32 day; // UTC day number of the latest sponsored operation
        uint32 count; // operations on that day
    }

    /// @dev ERC-7821's single batch mode with no opData: call type 0x01, everything else zero.
    bytes32 private constant _BATCH_MODE = bytes32(uint256(1) << 248);
    /// @dev The last day whose end still fits the EntryPoint's 48-bit `validUntil`.
    uint256 private constant _MAX_DAY = type(uint48).max / 1 days - 1;

    IHouseholdAccountFactory private immutable _factory;
    IHouseholdRegistry private immutable _registry;

    uint256 private _maxCostPerOperation;
    uint32 private _maxOperationsPerDay;
    bool private _shopAllowlistEnabled;
    mapping(address token => uint256 cap) private _dailyCaps;
    mapping(address shop => bool) private _shops;
    mapping(address target => mapping(bytes4 selector => bool)) private _sponsoredCalls;
    mapping(address token => mapping(address account => DailySpend)) private _spent;
    mapping(address account => DailyOperations) private _operations;

    /// @param operator the programme operator, owner of this paymaster
    /// @param factory_ the household account factory (must be a contract)
    /// @param registry_ the registry binding accounts to households (must be a contract)
    /// @param maxCostPerOperation_ the most one operation may cost, in wei (its `requiredPreFund`)
    /// @param maxOperationsPerDay_ sponsored operations per household per UTC day
    constructor(
        address operator,
        IHouseholdAccountFactory factory_,
        IHouseholdRegistry registry_,
        uint256 maxCostPerOperation_,
        uint32 maxOperationsPerDay_
    ) Ownable(operator) {
        if (address(factory_).code.length == 0) revert HouseholdPaymasterInvalidDependency(address(factory_));
        if (address(registry_).code.length == 0) revert HouseholdPaymasterInvalidDependency(address(registry_));
        _factory = factory_;
        _registry = registry_;
        _setLimits(maxCostPerOperation_, maxOperationsPerDay_);
    }

    // ---------------------------------------------------------------- operator

    /// @inheritdoc IHouseholdPaymaster
    function setDailyCap(address token, uint224 cap) external onlyOwner {
        _dailyCaps[token] = cap;
        emit DailyCapSet(token, cap);
    }

    /// @inheritdoc IHouseholdPaymaster
    function setShopAllowlistEnabled(bool enabled) external onlyOwner {
        _shopAllowlistEnabled = enabled;
        emit ShopAllowlistEnabled(enabled);
    }

    /// @inheritdoc IHouseholdPaymaster
    function setShopAllowed(address shop, bool allowed) external onlyOwner {
        _shops[shop] = allowed;
        emit ShopAllowed(shop, allowed);
    }

    /// @inheritdoc IHouseholdPaymaster
    function setCallSponsored(address target, bytes4 selector, bool sponsored) external onlyOwner {
        _sponsoredCalls[target][selector] = sponsored;
        emit CallSponsored(target, selector, sponsored);
    }

    /// @inheritdoc IHouseholdPaymaster
    function setLimits(uint256 maxCostPerOperation, uint32 maxOperationsPerDay) external onlyOwner {
        _setLimits(maxCostPerOperation, maxOperationsPerDay);
    }

    /// @inheritdoc IHouseholdPaymaster
    function deposit() external payable {
        _deposit(msg.value);
    }

    /// @inheritdoc IHouseholdPaymaster
    function withdraw(address payable to, uint256 amount) external onlyOwner {
        _withdraw(to, amount);
    }

    /// @inheritdoc IHouseholdPaymaster
    function addStake(uint32 unstakeDelaySec) external payable onlyOwner {
        _addStake(msg.value, unstakeDelaySec);
    }

    /// @inheritdoc IHouseholdPaymaster
    function unlockStake() external onlyOwner {
        _unlockStake();
    }

    /// @inheritdoc IHouseholdPaymaster
    function withdrawStake(address payable to) external onlyOwner {
        _withdrawStake(to);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IHouseholdPaymaster
    function checkPayment(address account, address token, address to, uint256 amount)
        external
        view
        returns (uint256 remainingToday)
    {
        uint32 day = uint32(block.timestamp / 1 days);
        _requireHousehold(account);
        _operationsAfter(account, day);
        uint256 spent = _spentAfter(account, token, to, amount, day);
        return _dailyCaps[token] - spent;
    }

    /// @inheritdoc IHouseholdPaymaster
    function dailyCap(address token) external view returns (uint256) {
        return _dailyCaps[token];
    }

    /// @inheritdoc IHouseholdPaymaster
    function spentOn(address account, address token, uint32 day) external view returns (uint256) {
        DailySpend memory s = _spent[token][account];
        return s.day == day ? s.amount : 0;
    }

    /// @inheritdoc IHouseholdPaymaster
    function operationsOn(address account, uint32 day) external view returns (uint32) {
        DailyOperations memory o = _operations[account];
        return o.day == day ? o.count : 0;
    }

    /// @inheritdoc IHouseholdPaymaster
    function shopAllowlistEnabled() external view returns (bool) {
        return _shopAllowlistEnabled;
    }

    /// @inheritdoc IHouseholdPaymaster
    function isShopAllowed(address shop) external view returns (bool) {
        return _shops[shop];
    }

    /// @inheritdoc IHouseholdPaymaster
    function isCallSponsored(address target, bytes4 selector) external view returns (bool) {
        return _sponsoredCalls[target][selector];
    }

    /// @inheritdoc IHouseholdPaymaster
    function limits() external view returns (uint256 maxCostPerOperation, uint32 maxOperationsPerDay) {
        return (_maxCostPerOperation, _maxOperationsPerDay);
    }

    /// @inheritdoc IHouseholdPaymaster
    function getDeposit() external view returns (uint256) {
        return entryPoint().balanceOf(address(this));
    }

    /// @inheritdoc IHouseholdPaymaster
    function factory() external view returns (IHouseholdAccountFactory) {
        return _factory;
    }

    /// @inheritdoc IHouseholdPaymaster
    function registry() external view returns (IHouseholdRegistry) {
        return _registry;
    }

    /// @notice EntryPoint v0.8 at its canonical address (docs/DECISIONS.md, "EntryPoint version").
    function entryPoint() public pure override returns (IEntryPoint) {
        return ERC4337Utils.ENTRYPOINT_V08;
    }

    // ---------------------------------------------------------------- validation

    /// @dev Checks the household, the day and the call, records the day's use, and returns the day as the
    /// validity window. No context: there is nothing to settle after the call.
    function _validatePaymasterUserOp(PackedUserOperation calldata userOp, bytes32, uint256 requiredPreFund)
        internal
        override
        returns (bytes memory context, uint256 validationData)
    {
        if (requiredPreFund > _maxCostPerOperation) {
            revert HouseholdPaymasterCostTooHigh(requiredPreFund, _maxCostPerOperation);
        }
        uint32 day = _day(ERC4337Utils.paymasterData(userOp));
        address account = userOp.sender;
        _requireHousehold(account);
        _operations[account] = DailyOperations(day, _operationsAfter(account, day));

        (address target, uint256 value, bytes calldata data) = _singleCall(userOp.callData);
        bytes4 selector = bytes4(data);
        // Token transfers are always payments, capped, whatever calls are sponsored: sponsoring a token's
        // `transfer` selector by mistake cannot lift the cap.
        if (value == 0 && data.length == 68 && selector == IERC20.transfer.selector) {
            (address to, uint256 amount) = abi.decode(data[4:], (address, uint256));
            _recordSpend(account, target, to, amount, day);
        } else if (value != 0 && data.length == 0) {
            _recordSpend(account, address(0), target, value, day);
        } else if (value == 0 && data.length >= 4 && _sponsoredCalls[target][selector]) {
            // A sponsored call such as the registry's re-bind cancellation: counted, not capped by amount.
        } else {
            revert HouseholdPaymasterCallNotSponsored(target, selector, value);
        }
        // Valid from the day's first second to its last: the EntryPoint accepts validAfter < now <= validUntil.
        uint48 dayStart = uint48(day) * 1 days;
        return ("", ERC4337Utils.packValidationData(true, dayStart - 1, dayStart + 1 days - 1));
    }

    function _recordSpend(address account, address token, address to, uint256 amount, uint32 day) private {
        // Cannot truncate: the total is at most the cap, a uint224.
        _spent[token][account] = DailySpend(day, uint224(_spentAfter(account, token, to, amount, day)));
    }

    /// @dev The day's total in `token` after paying `amount` to `to`, or the reason it is refused.
    function _spentAfter(address account, address token, address to, uint256 amount, uint32 day)
        private
        view
        returns (uint256)
    {
        uint256 cap = _dailyCaps[token];
        if (cap == 0) revert HouseholdPaymasterTokenNotSponsored(token);
        if (_shopAllowlistEnabled && !_shops[to]) revert HouseholdPaymasterShopNotAllowed(to);
        uint256 balance = token == address(0) ? account.balance : IERC20(token).balanceOf(account);
        if (balance < amount) revert HouseholdPaymasterInsufficientBalance(account, token, balance, amount);
        // The operation count was checked first, so no recorded day is later than `day`.
        DailySpend memory s = _spent[token][account];
        uint256 spent = s.day == day ? s.amount : 0;
        // The cap may have been lowered below what was already spent today.
        uint256 remaining = spent < cap ? cap - spent : 0;
        if (amount > remaining) revert HouseholdPaymasterDailyCapExceeded(account, token, amount, remaining);
        return spent + amount;
    }

    /// @dev The day's operation count after one more, or the reason it is refused.
    function _operationsAfter(address account, uint32 day) private view returns (uint32) {
        DailyOperations memory o = _operations[account];
        if (o.day > day) revert HouseholdPaymasterDayPassed(day, o.day);
        uint32 count = o.day == day ? o.count : 0;
        if (count >= _maxOperationsPerDay) revert HouseholdPaymasterTooManyOperations(account, day, _maxOperationsPerDay);
        return count + 1;
    }

    function _requireHousehold(address account) private view {
        if (!_factory.isAccount(account)) revert HouseholdPaymasterNotHouseholdAccount(account);
        if (_registry.commitmentOf(account) == bytes32(0)) revert HouseholdPaymasterHouseholdNotBound(account);
    }

    function _day(bytes calldata paymasterData) private pure returns (uint32 day) {
        if (paymasterData.length != 4) revert HouseholdPaymasterInvalidPaymasterData(paymasterData);
        day = uint32(bytes4(paymasterData));
        if (day == 0 || day > _MAX_DAY) revert HouseholdPaymasterInvalidPaymasterData(paymasterData);
    }

    /// @dev The one call of `execute(_BATCH_MODE, abi.encode(Execution[1]))`, read exactly as the account's
    /// ABI decoder and ERC7579Utils.decodeBatch will read it when executing.
    function _singleCall(bytes calldata callData)
        private
        pure
        returns (address target, uint256 value, bytes calldata data)
    {
        bytes4 selector = bytes4(callData);
        if (callData.length < 0x44 || selector != IERC7821.execute.selector || bytes32(callData[4:0x24]) != _BATCH_MODE) {
            revert HouseholdPaymasterUnsupportedCallData(selector);
        }
        // `executionData` is the second argument: its offset (from the arguments' start) is the second word.
        bytes calldata args = callData[4:];
        uint256 offset = uint256(bytes32(args[0x20:0x40]));
        if (offset > args.length - 0x20) revert HouseholdPaymasterUnsupportedCallData(selector);
        uint256 length = uint256(bytes32(args[offset:offset + 0x20]));
        if (length > args.length - offset - 0x20) revert HouseholdPaymasterUnsupportedCallData(selector);
        Execution[] calldata calls = ERC7579Utils.decodeBatch(args[offset + 0x20:offset + 0x20 + length]);
        if (calls.length != 1) revert HouseholdPaymasterNotOneCall(calls.length);
        return (calls[0].target, calls[0].value, calls[0].callData);
    }

    function _setLimits(uint256 maxCostPerOperation, uint32 maxOperationsPerDay) private {
        _maxCostPerOperation = maxCostPerOperation;
        _maxOperationsPerDay = maxOperationsPerDay;
        emit LimitsSet(maxCostPerOperation, maxOperationsPerDay);
    }
}
