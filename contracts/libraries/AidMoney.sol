// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAidSharedErrors} from "../interfaces/IAidSharedErrors.sol";

/// @title AidMoney: the one money shell of escrow projects and roster programmes
/// @notice How money enters (ETH, or an allowlisted ERC-20 counted by the balance change, with an optional
/// EIP-2612 permit), how it leaves (`pay`, the only outflow of both systems) and what a donor gets back.
/// @dev Internal functions: each contract carries its own copy of the code, from this one source, so the two
/// systems cannot drift (docs/DECISIONS.md, "One money shell").
library AidMoney {
    using SafeERC20 for IERC20;

    /// @dev Pulls `amount` of `token` from `from` and refuses any shortfall: the books count what arrived,
    /// not what was asked (docs/THREATS.md C5–C7).
    function pull(address token, address from, uint256 amount) internal {
        IERC20 t = IERC20(token);
        uint256 before = t.balanceOf(address(this));
        t.safeTransferFrom(from, address(this), amount);
        uint256 received = t.balanceOf(address(this)) - before;
        if (received != amount) revert IAidSharedErrors.AidMoneyTransferShortfall(token, amount, received);
    }

    /// @dev Uses an EIP-2612 permit, or, when it fails (for example because someone submitted it first, which
    /// anyone watching the mempool can), the allowance it or an earlier approval created (OpenZeppelin's
    /// IERC20Permit security note).
    function permit(address token, address owner, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        internal
    {
        try IERC20Permit(token).permit(owner, address(this), amount, deadline, v, r, s) {}
        catch {
            uint256 allowance = IERC20(token).allowance(owner, address(this));
            if (allowance < amount) revert IAidSharedErrors.AidMoneyInsufficientAllowance(token, allowance, amount);
        }
    }

    /// @dev The only way money leaves either system. Callers have written all their state first
    /// (checks-effects-interactions) and hold a reentrancy guard.
    /// @param token address(0) for ETH
    function pay(address token, address to, uint256 amount) internal {
        if (token == address(0)) {
            // A full-gas call, not transfer(): Safes and other contract wallets must be payable.
            Address.sendValue(payable(to), amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }

    /// @dev What this contract holds of `token` (address(0) for ETH).
    function held(address token) internal view returns (uint256) {
        return token == address(0) ? address(this).balance : IERC20(token).balanceOf(address(this));
    }

    /// @dev The one refund rule: floor(contribution x pool / raised), with the pool capped at what was
    /// raised. Rounding is down for every donor, so no donor gets back more than they gave and the shares
    /// never add up to more than the pool (docs/DECISIONS.md, "Refund rounding").
    /// @param pool what the project holds for its donors when refunds begin
    function refundShare(uint256 contribution, uint256 pool, uint256 raised) internal pure returns (uint256) {
        return Math.mulDiv(contribution, Math.min(pool, raised), raised);
    }
}
