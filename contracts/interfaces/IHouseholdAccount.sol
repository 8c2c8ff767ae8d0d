// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IHouseholdRegistry} from "./IHouseholdRegistry.sol";

/// @title A household's smart account, signed for by the phone's passkey
/// @notice An ERC-4337 account (EntryPoint v0.8) whose only signer is a P-256 WebAuthn credential. It
/// executes ERC-7821 batches for the EntryPoint, answers ERC-1271 through ERC-7739 (so the escrow's
/// `claimBySig` and a roster's `RosterClaim` accept its passkey), and, once the registry has re-bound
/// the household to a successor account, stops accepting its passkey, answers ERC-1271 with the
/// successor's verdict, and lets anyone move what it holds to that successor, and nowhere else.
interface IHouseholdAccount {
    /// @notice `amount` of `token` (zero for ETH) moved from this replaced account to `successor`.
    event MovedToSuccessor(address indexed successor, address indexed token, uint256 amount);

    /// @notice The registry has not re-bound the household away from `account`: it has no successor.
    error HouseholdAccountNotReplaced(address account);
    /// @notice Following the registry's successors from `account` took more than `maxHops` re-binds
    /// (only a registry that re-binds in a loop produces this).
    error HouseholdAccountSuccessorChainTooLong(address account, uint256 maxHops);

    /// @notice Moves this account's whole balance of each of `assets` (an ERC-20 address, or zero for ETH)
    /// to {successor}. Anyone may call: the money can only go to the household's current account. Each
    /// asset moves on its own, so a token that will not move, or a successor that refuses ETH, blocks
    /// only itself (leave it out). Reverts with {HouseholdAccountNotReplaced} while the account has not
    /// been replaced.
    function moveToSuccessor(address[] calldata assets) external;

    /// @notice The household's current account if this one was replaced: the registry's successor of
    /// this account, followed through any later re-binds. Zero while this account is the household's.
    function successor() external view returns (address);

    /// @notice Whether the passkey still speaks for this account: false once it has been replaced.
    function isActive() external view returns (bool);

    /// @notice The registry whose re-binds replace household accounts.
    function registry() external view returns (IHouseholdRegistry);
}
