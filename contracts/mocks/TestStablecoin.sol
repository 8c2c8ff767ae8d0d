// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @notice Local-chain stand-in for a dollar stablecoin: 6 decimals, EIP-2612 permit, open faucet.
/// @dev Test and devnet only. The open `mint` makes it worthless anywhere else; deployment scripts
/// refuse to deploy it to a non-local chain.
contract TestStablecoin is ERC20, ERC20Permit {
    constructor() ERC20("Test Stable Dollar", "tUSD") ERC20Permit("Test Stable Dollar") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
