// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {IHouseholdAccountFactory} from "../interfaces/IHouseholdAccountFactory.sol";
import {IHouseholdRegistry} from "../interfaces/IHouseholdRegistry.sol";
import {HouseholdAccount} from "./HouseholdAccount.sol";

/// @title HouseholdAccountFactory
/// @notice Creates household accounts: CREATE2 clones of one HouseholdAccount implementation with the
/// passkey's key and the salt as immutable arguments.
/// @dev Clones with immutable arguments rather than clone + initialize: no initializer to front-run or
/// forget, no storage write for the key, about 83k gas per account against about 141k
/// (docs/DECISIONS.md, "Household account construction"). The factory keeps no storage at all, so it
/// needs no stake as an ERC-4337 factory and `isAccount` is safe during validation.
contract HouseholdAccountFactory is IHouseholdAccountFactory {
    /// @dev abi.encode(qx, qy, salt).
    uint256 private constant _ARGS_LENGTH = 0x60;
    /// @dev EIP-1167 proxy code before the arguments (see Clones).
    uint256 private constant _CLONE_CODE_LENGTH = 0x2d;

    address private immutable _implementation;

    /// @param registry the registry whose re-binds replace household accounts (must be a contract)
    constructor(IHouseholdRegistry registry) {
        if (address(registry).code.length == 0) revert HouseholdAccountFactoryInvalidRegistry(address(registry));
        _implementation = address(new HouseholdAccount(registry));
    }

    /// @inheritdoc IHouseholdAccountFactory
    function createAccount(bytes32 qx, bytes32 qy, bytes32 salt) public returns (address account) {
        account = accountAddress(qx, qy, salt);
        if (account.code.length == 0) {
            Clones.cloneDeterministicWithImmutableArgs(_implementation, abi.encode(qx, qy, salt), salt);
            emit HouseholdAccountCreated(account, qx, qy, salt);
        }
    }

    /// @inheritdoc IHouseholdAccountFactory
    function createAccountAndCall(bytes32 qx, bytes32 qy, bytes32 salt, address target, bytes calldata data)
        external
        returns (address account, bytes memory result)
    {
        account = createAccount(qx, qy, salt);
        result = Address.functionCall(target, data);
    }

    /// @inheritdoc IHouseholdAccountFactory
    function accountAddress(bytes32 qx, bytes32 qy, bytes32 salt) public view returns (address) {
        if (!P256.isValidPublicKey(qx, qy)) revert HouseholdAccountFactoryInvalidKey(qx, qy);
        return Clones.predictDeterministicAddressWithImmutableArgs(_implementation, abi.encode(qx, qy, salt), salt);
    }

    /// @inheritdoc IHouseholdAccountFactory
    /// @dev The code must be our clone with three words of arguments, and the address must be the CREATE2
    /// address this factory gives those arguments: only this factory can have put that code there.
    function isAccount(address account) external view returns (bool) {
        if (account.code.length != _CLONE_CODE_LENGTH + _ARGS_LENGTH) return false;
        bytes memory args = Clones.fetchCloneArgs(account);
        (,, bytes32 salt) = abi.decode(args, (bytes32, bytes32, bytes32));
        return Clones.predictDeterministicAddressWithImmutableArgs(_implementation, args, salt) == account;
    }

    /// @inheritdoc IHouseholdAccountFactory
    function accountImplementation() external view returns (address) {
        return _implementation;
    }
}
