// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title PrecisionAid roster deployer: creates roster programme contracts for the factory
/// @notice The factory validates and lists; the deployer only creates. A programme's factory() is always whoever
/// called deploy, so a programme created directly here is never listed by AidRosterFactory.
interface IAidRosterDeployer {
    /// @notice The encoded arguments name `factory` as the programme's factory, but `caller` called.
    error AidRosterDeployerNotFactory(address caller, address factory);
    /// @notice The programme's constructor reverted (the factory validates the terms first, so this means a
    /// caller other than the factory passed bad ones).
    error AidRosterDeployerFailed();

    /// @notice Creates an AidRosterProgramme with `constructorArgs`, abi.encode(registry, factory, manager,
    /// terms), whose factory must be the caller (which must have validated the terms).
    function deploy(bytes calldata constructorArgs) external returns (address programme);
}
