// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {AidRosterProgramme} from "./AidRosterProgramme.sol";

/// @title AidRosterBlueprint
/// @notice An EIP-5202 blueprint: once deployed, its code is the EIP-5202 preamble 0xFE7100 followed by
/// AidRosterProgramme's creation code (linked to AidRosterGovernance). AidRosterFactory copies that code and
/// creates each programme from it, so the factory does not carry the programme's code. The preamble starts with
/// INVALID (0xFE): the blueprint itself can never be called or run.
/// @dev docs/DECISIONS.md, "Room to grow": a blueprint adds three bytes to the programme's creation code, where a
/// deployer contract would add its own code; every deployable contract keeps 2 KB of headroom under EIP-170.
contract AidRosterBlueprint {
    constructor() {
        bytes memory code = bytes.concat(hex"FE7100", type(AidRosterProgramme).creationCode);
        assembly ("memory-safe") {
            return(add(code, 0x20), mload(code))
        }
    }
}
