// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IAidRosterDeployer} from "./interfaces/IAidRosterDeployer.sol";
import {AidRosterProgramme} from "./AidRosterProgramme.sol";

/// @title AidRosterDeployer
/// @notice Holds AidRosterProgramme's creation code so the factory does not: the factory validates the terms and
/// lists each programme; this contract only creates it. It keeps no state, and anyone may call it, but a
/// programme it creates always names its caller as its factory: only programmes listed by AidRosterFactory
/// (isProgramme) are genuine.
/// @dev docs/DECISIONS.md, "Room to grow": with the programme's code here, the factory is small and every
/// deployable contract keeps 2 KB of headroom under EIP-170's limit. The constructor arguments arrive encoded, so
/// this contract carries no encoder of its own.
contract AidRosterDeployer is IAidRosterDeployer {
    /// @inheritdoc IAidRosterDeployer
    function deploy(bytes calldata constructorArgs) external returns (address programme) {
        // The second argument is the programme's factory: it must be the caller.
        address factory = address(uint160(uint256(bytes32(constructorArgs[32:64]))));
        if (factory != msg.sender) revert AidRosterDeployerNotFactory(msg.sender, factory);
        bytes memory code = type(AidRosterProgramme).creationCode;
        assembly ("memory-safe") {
            // The arguments go right after the creation code, in memory past the free pointer (not kept).
            let length := mload(code)
            calldatacopy(add(add(code, 0x20), length), constructorArgs.offset, constructorArgs.length)
            programme := create(0, add(code, 0x20), add(length, constructorArgs.length))
        }
        if (programme == address(0)) revert AidRosterDeployerFailed();
    }
}
