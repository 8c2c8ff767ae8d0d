// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title What household accounts and their paymaster read from the registry of households
/// @notice The registry binds each household (a salted identity commitment) to the account it is paid at,
/// and moves that binding to a new account when k officials approve a re-bind and its delay passes
/// without the current account cancelling it (docs/ACCOUNTS.md, "Lost phone").
interface IHouseholdRegistry {
    /// @notice The account that replaced `account` through an executed re-bind (zero if none).
    function successorOf(address account) external view returns (address);

    /// @notice The household commitment `account` is bound to (zero if none).
    function commitmentOf(address account) external view returns (bytes32);
}
