// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {ERC7821} from "@openzeppelin/contracts/account/extensions/draft-ERC7821.sol";
import {ERC4337Utils} from "@openzeppelin/contracts/account/utils/ERC4337Utils.sol";
import {IEntryPoint, PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ERC7739} from "@openzeppelin/contracts/utils/cryptography/signers/draft-ERC7739.sol";
import {SignerP256} from "@openzeppelin/contracts/utils/cryptography/signers/SignerP256.sol";
import {SignerWebAuthn} from "@openzeppelin/contracts/utils/cryptography/signers/SignerWebAuthn.sol";
import {IHouseholdAccount} from "../interfaces/IHouseholdAccount.sol";
import {IHouseholdRegistry} from "../interfaces/IHouseholdRegistry.sol";

/// @title HouseholdAccount
/// @notice The implementation behind every household account. Accounts are clones created by
/// HouseholdAccountFactory whose immutable arguments are abi.encode(qx, qy, salt): the passkey's public
/// key lives in the clone's code, so an account needs no initializer and no storage for its signer.
/// @dev OpenZeppelin's own mix (Account, SignerWebAuthn, ERC7739, ERC7821), with three changes:
/// - `entryPoint()` is EntryPoint v0.8, the released npm artifact of the account-abstraction contracts
///   (OpenZeppelin 5.7 defaults to v0.9), used everywhere in PrecisionAid (docs/DECISIONS.md,
///   "EntryPoint version");
/// - `signer()` reads the clone's arguments;
/// - a replaced account's passkey no longer validates anything, and its ERC-1271 answers are its
///   successor's (docs/ACCOUNTS.md, "Lost phone").
contract HouseholdAccount is IHouseholdAccount, Account, EIP712, ERC7739, SignerWebAuthn, ERC7821 {
    using SafeERC20 for IERC20;

    /// @dev SignerP256's constructor insists on a valid point, so the implementation gets one nobody holds
    /// the key to: x is keccak256(abi.encodePacked("PrecisionAid.HouseholdAccount.implementation",
    /// uint256(0))) mod p (on the curve at the first try) and y its square root (x^3 - 3x + b)^((p+1)/4).
    /// test/account/Factory.ts recomputes both. Not the generator G, whose private key is 1.
    bytes32 private constant _IMPLEMENTATION_QX = 0x26f74d5f179ba48e307152afc90c5581dbea90297467de8a0d31c81af7183b24;
    bytes32 private constant _IMPLEMENTATION_QY = 0x63706179a6dca6beea869ef848cf37f51810ba9c6225bcbcf035bd6066bb3ddb;

    /// @dev A bound on following successors: each hop is an executed re-bind (k officials and a delay), so
    /// a real household never comes near it; it only stops a registry that re-binds in a loop.
    uint256 private constant _MAX_SUCCESSOR_HOPS = 16;

    IHouseholdRegistry private immutable _registry;
    /// @dev The implementation's own address, to tell it apart from its clones.
    address private immutable _self;

    /// @param registry_ the registry whose re-binds replace accounts (checked by the factory)
    constructor(IHouseholdRegistry registry_)
        EIP712("PrecisionAid Household", "1")
        SignerP256(_IMPLEMENTATION_QX, _IMPLEMENTATION_QY)
    {
        _registry = registry_;
        _self = address(this);
    }

    // ---------------------------------------------------------------- recovery

    /// @inheritdoc IHouseholdAccount
    function moveToSuccessor(address[] calldata assets) external {
        address to = successor();
        if (to == address(0)) revert HouseholdAccountNotReplaced(address(this));
        for (uint256 i; i < assets.length; ++i) {
            address asset = assets[i];
            uint256 balance = asset == address(0) ? address(this).balance : IERC20(asset).balanceOf(address(this));
            if (balance == 0) continue;
            emit MovedToSuccessor(to, asset, balance);
            if (asset == address(0)) Address.sendValue(payable(to), balance);
            else IERC20(asset).safeTransfer(to, balance);
        }
    }

    /// @inheritdoc IHouseholdAccount
    function successor() public view returns (address current) {
        address next = _registry.successorOf(address(this));
        for (uint256 hops; next != address(0); ++hops) {
            if (hops == _MAX_SUCCESSOR_HOPS) revert HouseholdAccountSuccessorChainTooLong(address(this), hops);
            current = next;
            next = _registry.successorOf(current);
        }
    }

    /// @inheritdoc IHouseholdAccount
    function isActive() public view returns (bool) {
        return _registry.successorOf(address(this)) == address(0);
    }

    /// @inheritdoc IHouseholdAccount
    function registry() external view returns (IHouseholdRegistry) {
        return _registry;
    }

    // ---------------------------------------------------------------- signatures

    /// @notice ERC-1271 through ERC-7739 while this account is the household's. Once replaced, the
    /// household's current account answers instead (ERC-1271 or, for an ordinary account, ECDSA): a roster
    /// leaf that names this account stays claimable by the household's new passkey, the money lands here,
    /// and {moveToSuccessor} takes it on. The old passkey is never accepted again.
    function isValidSignature(bytes32 hash, bytes calldata signature) public view override returns (bytes4) {
        address current = successor();
        if (current == address(0)) return super.isValidSignature(hash, signature);
        return SignatureChecker.isValidSignatureNowCalldata(current, hash, signature)
            ? this.isValidSignature.selector
            : bytes4(0xffffffff);
    }

    // ---------------------------------------------------------------- signer and EntryPoint

    /// @notice The passkey's public key: the clone's immutable arguments (the implementation's own is a
    /// point nobody holds the key to).
    function signer() public view override returns (bytes32 qx, bytes32 qy) {
        if (address(this) == _self) return super.signer();
        (qx, qy,) = abi.decode(Clones.fetchCloneArgs(address(this)), (bytes32, bytes32, bytes32));
    }

    /// @notice EntryPoint v0.8 at its canonical address.
    function entryPoint() public pure override returns (IEntryPoint) {
        return ERC4337Utils.ENTRYPOINT_V08;
    }

    /// @dev Once replaced, the passkey validates no UserOperation: a stolen phone cannot race the move to
    /// the successor. (ERC-1271 is handled in {isValidSignature}: the successor answers.)
    function _validateUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash, bytes calldata signature)
        internal
        override
        returns (uint256)
    {
        if (!isActive()) return ERC4337Utils.SIG_VALIDATION_FAILED;
        return super._validateUserOp(userOp, userOpHash, signature);
    }

    /// @dev The EntryPoint executes validated UserOperations; the account may call itself.
    function _erc7821AuthorizedExecutor(address caller, bytes32 mode, bytes calldata executionData)
        internal
        view
        override
        returns (bool)
    {
        return caller == address(entryPoint()) || super._erc7821AuthorizedExecutor(caller, mode, executionData);
    }
}
