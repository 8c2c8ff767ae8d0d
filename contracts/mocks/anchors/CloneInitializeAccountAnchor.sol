// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {ERC7821} from "@openzeppelin/contracts/account/extensions/draft-ERC7821.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ERC7739} from "@openzeppelin/contracts/utils/cryptography/signers/draft-ERC7739.sol";
import {SignerP256} from "@openzeppelin/contracts/utils/cryptography/signers/SignerP256.sol";
import {SignerWebAuthn} from "@openzeppelin/contracts/utils/cryptography/signers/SignerWebAuthn.sol";

/// @notice BENCHMARK ANCHOR, not part of the protocol: the other way to build a passkey account, as
/// OpenZeppelin's NatSpec shows it: the same pieces plus Initializable, the key written to storage by
/// `initialize` after `Clones.cloneDeterministic`. scripts/bench/passkey-gas.ts measures its creation
/// beside HouseholdAccountFactory's clones with immutable arguments (docs/DECISIONS.md, "Household
/// account construction").
contract CloneInitializeAccountAnchor is Account, EIP712, ERC7739, SignerWebAuthn, ERC7821, Initializable {
    constructor(bytes32 qx, bytes32 qy) EIP712("Anchor", "1") SignerP256(qx, qy) {
        _disableInitializers();
    }

    function initialize(bytes32 qx, bytes32 qy) external initializer {
        _setSigner(qx, qy);
    }
}

/// @notice BENCHMARK ANCHOR: the clone + initialize factory for CloneInitializeAccountAnchor.
contract CloneInitializeFactoryAnchor {
    address private immutable _implementation;

    constructor(bytes32 qx, bytes32 qy) {
        _implementation = address(new CloneInitializeAccountAnchor(qx, qy));
    }

    function createAccount(bytes32 qx, bytes32 qy, bytes32 salt) external returns (address account) {
        account = Clones.cloneDeterministic(_implementation, keccak256(abi.encode(qx, qy, salt)));
        CloneInitializeAccountAnchor(payable(account)).initialize(qx, qy);
    }
}
