// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IAidRosterFactory} from "./interfaces/IAidRosterFactory.sol";
import {IAidRegistry} from "./interfaces/IAidRegistry.sol";
import {IAidEscrow} from "./interfaces/IAidEscrow.sol";
import {RosterProgrammeTerms} from "./interfaces/AidRosterTypes.sol";
import {AidTerms} from "./libraries/AidTerms.sol";
import {RosterRules} from "./libraries/AidRosterState.sol";

/// @title AidRosterFactory
/// @notice Validates roster programme terms and deploys each programme as its own contract.
/// @dev Full deployments, not EIP-1167 clones: a clone's DELEGATECALL costs a cold account access
/// (2,600 gas) on every claim, more than the whole margin between the claim target and the EVM floor,
/// and clones cannot hold the terms as immutables. Deploying a programme costs more once; its
/// hundreds of thousands of claims cost less (docs/DECISIONS-roster.md, "One contract per programme").
/// The programme's creation code lives in an EIP-5202 blueprint (AidRosterBlueprint), so this contract stays small.
contract AidRosterFactory is IAidRosterFactory {
    /// @notice Same bound as AidRosterProgramme.MAX_THRESHOLD.
    uint8 private constant _MAX_THRESHOLD = 16;

    IAidRegistry private immutable _registry;
    IAidEscrow private immutable _escrow;
    address private immutable _blueprint;

    uint256 private _programmeCount;
    mapping(uint256 id => address programme) private _programmes;
    mapping(address programme => bool) private _isProgramme;

    /// @param registry_ the registry of roles and officials (must be a contract)
    /// @param escrow_ the escrow whose token allowlist applies (must be a contract)
    /// @param blueprint_ the EIP-5202 blueprint of AidRosterProgramme (its code starts with 0xFE7100)
    constructor(IAidRegistry registry_, IAidEscrow escrow_, address blueprint_) {
        if (address(registry_).code.length == 0) revert AidRosterFactoryInvalidDependency(address(registry_));
        if (address(escrow_).code.length == 0) revert AidRosterFactoryInvalidDependency(address(escrow_));
        bytes32 preamble;
        assembly ("memory-safe") {
            extcodecopy(blueprint_, 0x00, 0x00, 0x20)
            preamble := mload(0x00)
        }
        if (bytes3(preamble) != 0xFE7100) revert AidRosterFactoryInvalidDependency(blueprint_);
        // Programmes hold the registry's role ids as constants: only a registry using these ids will do.
        if (
            registry_.MANAGER_ROLE() != RosterRules.MANAGER_ROLE || registry_.REVIEWER_ROLE() != RosterRules.REVIEWER_ROLE
                || registry_.GUARDIAN_ROLE() != RosterRules.GUARDIAN_ROLE
        ) revert AidRosterFactoryInvalidDependency(address(registry_));
        _registry = registry_;
        _escrow = escrow_;
        _blueprint = blueprint_;
    }

    /// @inheritdoc IAidRosterFactory
    function createProgramme(RosterProgrammeTerms calldata terms) external returns (uint256 id, address programme) {
        bytes32 role = _registry.MANAGER_ROLE();
        if (!_registry.hasRole(role, msg.sender)) revert AidRosterFactoryUnauthorized(msg.sender, role);
        _validate(terms);
        programme = _create(abi.encode(_registry, msg.sender, terms));
        id = ++_programmeCount;
        _programmes[id] = programme;
        _isProgramme[programme] = true;
        emit ProgrammeCreated(id, programme, msg.sender, terms);
    }

    /// @inheritdoc IAidRosterFactory
    function registry() external view returns (IAidRegistry) {
        return _registry;
    }

    /// @inheritdoc IAidRosterFactory
    function escrow() external view returns (IAidEscrow) {
        return _escrow;
    }

    /// @inheritdoc IAidRosterFactory
    function blueprint() external view returns (address) {
        return _blueprint;
    }

    /// @inheritdoc IAidRosterFactory
    function programmeCount() external view returns (uint256) {
        return _programmeCount;
    }

    /// @inheritdoc IAidRosterFactory
    function programmeAt(uint256 id) external view returns (address) {
        return _programmes[id];
    }

    /// @inheritdoc IAidRosterFactory
    function isProgramme(address programme) external view returns (bool) {
        return _isProgramme[programme];
    }

    /// @dev Creates a programme from the blueprint's code (after its 3-byte preamble) and `constructorArgs`.
    function _create(bytes memory constructorArgs) private returns (address programme) {
        address source = _blueprint;
        assembly ("memory-safe") {
            let size := sub(extcodesize(source), 3)
            let code := mload(0x40)
            extcodecopy(source, code, 3, size)
            let argsLength := mload(constructorArgs)
            mcopy(add(code, size), add(constructorArgs, 0x20), argsLength)
            programme := create(0, code, add(size, argsLength))
        }
        if (programme == address(0)) revert AidRosterFactoryCreationFailed(source);
    }

    /// @dev The programme trusts its deployer's validation, so every term is checked here once.
    function _validate(RosterProgrammeTerms calldata t) private view {
        // One allowlist for escrow projects and rosters: weird tokens stay out of both (docs/THREATS.md).
        if (!_escrow.isTokenAllowed(t.token)) revert AidRosterFactoryTokenNotAllowed(t.token);
        if (t.threshold == 0 || t.threshold > _MAX_THRESHOLD) {
            revert AidRosterFactoryInvalidThreshold(t.threshold, _MAX_THRESHOLD);
        }
        // The schedule rule escrow projects follow too: deadlines bounded, every tranche unlocking before the
        // claim deadline, a publicity window that can end before it.
        AidTerms.validateSchedule(t.trancheUnlockTimes, t.fundingDeadline, t.claimDeadline, t.publicityWindow);
    }
}
