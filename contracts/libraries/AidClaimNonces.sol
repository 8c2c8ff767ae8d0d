// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IAidClaimNonces} from "../interfaces/IAidClaimNonces.sol";

/// @title AidClaimNonces: the one nonce model of signed claims
/// @notice Read on every signed claim, moved on only by its owner (docs/DECISIONS.md, "Nonces").
abstract contract AidClaimNonces is IAidClaimNonces {
    mapping(address account => uint256 nonce) private _claimNonces;

    /// @inheritdoc IAidClaimNonces
    function invalidateClaimSignatures() external {
        uint256 next = ++_claimNonces[msg.sender];
        emit ClaimNonceInvalidated(msg.sender, next);
    }

    /// @inheritdoc IAidClaimNonces
    function claimNonce(address account) external view returns (uint256) {
        return _claimNonces[account];
    }

    /// @dev Refuses a signed claim whose nonce is not `account`'s current one.
    function _requireClaimNonce(address account, uint256 signed) internal view {
        uint256 expected = _claimNonces[account];
        if (signed != expected) revert AidClaimNonceMismatch(account, expected, signed);
    }
}
