// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAidRegistry} from "./IAidRegistry.sol";
import {IAidEscrow} from "./IAidEscrow.sol";
import {IAidTermsErrors} from "./IAidTermsErrors.sol";
import {RosterProgrammeTerms} from "./AidRosterTypes.sol";

/// @title PrecisionAid roster factory: creates roster programmes
/// @notice Programme managers create roster programmes here. Each programme is its own contract (its
/// terms become immutables, its balance is its money), validated once here and listed for indexers.
/// The token allowlist is the escrow's, so one admin decision covers escrow projects and rosters alike. The
/// schedule rules (AidTerms) are the escrow's too. Each programme is created from an EIP-5202 blueprint of its code.
interface IAidRosterFactory is IAidTermsErrors {
    /// @notice Programme number `id` was created at `programme` by `manager` with `terms`.
    event ProgrammeCreated(uint256 indexed id, address indexed programme, address indexed manager, RosterProgrammeTerms terms);

    /// @notice The registry or escrow is not a contract, the registry's role ids are not PrecisionAid's, or the
    /// blueprint's code does not start with the EIP-5202 preamble 0xFE7100.
    error AidRosterFactoryInvalidDependency(address dependency);
    /// @notice The caller lacks the registry's manager role.
    error AidRosterFactoryUnauthorized(address caller, bytes32 role);
    /// @notice The token is not allowlisted by the escrow (ETH, address(0), always is).
    error AidRosterFactoryTokenNotAllowed(address token);
    /// @notice The threshold must be between 1 and `max`.
    error AidRosterFactoryInvalidThreshold(uint8 threshold, uint8 max);
    /// @notice Creating the programme from `blueprint` failed (for example with too little gas left).
    error AidRosterFactoryCreationFailed(address blueprint);

    /// @notice Creates a roster programme managed by the caller. Only programme managers.
    /// @return id the programme's number (1, 2, ...)
    /// @return programme the programme's address
    function createProgramme(RosterProgrammeTerms calldata terms) external returns (uint256 id, address programme);

    /// @notice The registry every programme trusts for roles and officials.
    function registry() external view returns (IAidRegistry);

    /// @notice The escrow whose token allowlist applies.
    function escrow() external view returns (IAidEscrow);

    /// @notice The EIP-5202 blueprint programmes are created from (AidRosterBlueprint).
    function blueprint() external view returns (address);

    /// @notice Number of programmes created; ids run from 1 to this.
    function programmeCount() external view returns (uint256);

    /// @notice The programme with number `id` (zero address if none).
    function programmeAt(uint256 id) external view returns (address);

    /// @notice Whether `programme` was created by this factory.
    function isProgramme(address programme) external view returns (bool);
}
