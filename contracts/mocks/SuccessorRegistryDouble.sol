// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IAidRegistry} from "../interfaces/IAidRegistry.sol";

/// @title Test double for the registry's `successorOf` ONLY
/// @notice Stands in for AidRegistry.successorOf until the registry's k-of-n, cancellable re-bind that
/// records successors lands (trust-registry branch); the tests then use the real registry and this file
/// goes. A test says which account replaced which (after driving the real registry's re-bind); every
/// other answer, `commitmentOf`, comes from the real AidRegistry.
contract SuccessorRegistryDouble {
    IAidRegistry private immutable _registry;
    mapping(address account => address successor) private _successors;

    constructor(IAidRegistry registry) {
        _registry = registry;
    }

    function setSuccessor(address account, address successor) external {
        _successors[account] = successor;
    }

    function successorOf(address account) external view returns (address) {
        return _successors[account];
    }

    function commitmentOf(address account) external view returns (bytes32) {
        return _registry.commitmentOf(account);
    }
}
