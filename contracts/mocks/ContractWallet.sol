// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice Test-only smart-contract wallet (a one-owner Safe stand-in) that signs by ERC-1271.
contract ContractWallet is IERC1271 {
    address public immutable owner;
    /// @notice When false the wallet refuses ETH with empty revert data (a wallet that cannot be paid).
    bool public acceptsEth = true;
    /// @notice When true, receiving ETH burns every unit of gas it is given (a gas bomb in a relayer's batch).
    bool public burnsGas;
    /// @notice When true, checking a signature burns every unit of gas it is given.
    bool public signatureBurnsGas;

    constructor(address owner_) {
        owner = owner_;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (signatureBurnsGas) _burn();
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, signature);
        return err == ECDSA.RecoverError.NoError && signer == owner ? IERC1271.isValidSignature.selector : bytes4(0);
    }

    error ContractWalletNotOwner(address caller);

    function execute(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != owner) revert ContractWalletNotOwner(msg.sender);
        (bool ok, bytes memory result) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
        return result;
    }

    function setAcceptsEth(bool value) external {
        if (msg.sender != owner) revert ContractWalletNotOwner(msg.sender);
        acceptsEth = value;
    }

    function setBurnsGas(bool onReceive, bool onSignature) external {
        if (msg.sender != owner) revert ContractWalletNotOwner(msg.sender);
        burnsGas = onReceive;
        signatureBurnsGas = onSignature;
    }

    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (burnsGas) _burn();
        if (!acceptsEth) {
            assembly ("memory-safe") {
                revert(0, 0)
            }
        }
    }

    function _burn() private pure {
        // An endless loop: it ends only when the gas it was given runs out.
        uint256 i;
        while (true) {
            unchecked {
                ++i;
            }
        }
    }
}
