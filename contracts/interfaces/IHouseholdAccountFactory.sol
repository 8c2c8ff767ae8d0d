// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Creates household accounts at addresses known before they exist
/// @notice Each account is a clone (EIP-1167 with immutable arguments) of one implementation, created with
/// CREATE2 from its passkey's public key and a salt, so the dApp can show the address (for an official to
/// bind) before anything is on chain. Creating is idempotent and open to anyone: an account only ever
/// obeys its passkey, so who pays for its deployment does not matter.
interface IHouseholdAccountFactory {
    /// @notice The account for passkey (`qx`, `qy`) and `salt` was created at `account`.
    event HouseholdAccountCreated(address indexed account, bytes32 qx, bytes32 qy, bytes32 salt);

    /// @notice (`qx`, `qy`) is not a point on the P-256 curve: no passkey could ever sign for it.
    error HouseholdAccountFactoryInvalidKey(bytes32 qx, bytes32 qy);
    /// @notice The registry address is not a contract.
    error HouseholdAccountFactoryInvalidRegistry(address registry);

    /// @notice Creates the account for passkey (`qx`, `qy`) and `salt` unless it exists; returns its
    /// address either way (the EntryPoint's `initCode` and relayer batches rely on both).
    function createAccount(bytes32 qx, bytes32 qy, bytes32 salt) external returns (address account);

    /// @notice Creates the account (if needed), then calls `target` with `data` and returns its result,
    /// reverting with the target's error if it fails. For a relayer paying a household's first claim: the
    /// escrow's `claimBySig` or a roster's `claimBySig`/`claimBatch` checks the new account's ERC-1271
    /// signature in the same transaction that deploys it. Sends no ETH; the factory holds nothing and is
    /// trusted by nothing, so the call carries no authority.
    function createAccountAndCall(bytes32 qx, bytes32 qy, bytes32 salt, address target, bytes calldata data)
        external
        returns (address account, bytes memory result);

    /// @notice The address of the account for passkey (`qx`, `qy`) and `salt`, whether or not it exists.
    /// Reverts with {HouseholdAccountFactoryInvalidKey} for a key that is not on the curve.
    function accountAddress(bytes32 qx, bytes32 qy, bytes32 salt) external view returns (address);

    /// @notice Whether `account` is a household account created by this factory (checked from its code,
    /// with no storage, so a paymaster may ask during ERC-4337 validation).
    function isAccount(address account) external view returns (bool);

    /// @notice The implementation every account delegates to.
    function accountImplementation() external view returns (address);
}
