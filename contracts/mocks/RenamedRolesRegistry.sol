// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @notice Test-only stand-in for a registry whose reviewer role id differs from AidRegistry's. Roster programmes hold
/// the role ids as constants, so the roster factory must refuse such a registry at construction.
contract RenamedRolesRegistry {
    function MANAGER_ROLE() external pure returns (bytes32) {
        return keccak256("precisionaid.role.manager");
    }

    function REVIEWER_ROLE() external pure returns (bytes32) {
        return keccak256("REVIEWER_ROLE");
    }

    function GUARDIAN_ROLE() external pure returns (bytes32) {
        return keccak256("precisionaid.role.guardian");
    }
}
