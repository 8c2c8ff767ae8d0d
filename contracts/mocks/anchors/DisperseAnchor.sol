// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @notice BENCHMARK ANCHOR, not part of the protocol: a minimal reference implementation of Disperse
/// (disperse.app, github.com/banteg/disperse-research), the batch payout people use today: the sender
/// pushes ETH or tokens to a list of recipients in one transaction. Same loop as the original
/// (disperseEther refunds the remainder; disperseToken pulls the total then pushes), on solc 0.8.34.
contract DisperseAnchor {
    using SafeERC20 for IERC20;

    error TransferFailed();

    function disperseEther(address[] calldata recipients, uint256[] calldata values) external payable {
        for (uint256 i; i < recipients.length; ++i) {
            (bool ok,) = recipients[i].call{value: values[i]}("");
            if (!ok) revert TransferFailed();
        }
        uint256 balance = address(this).balance;
        if (balance > 0) {
            (bool ok,) = msg.sender.call{value: balance}("");
            if (!ok) revert TransferFailed();
        }
    }

    function disperseToken(IERC20 token, address[] calldata recipients, uint256[] calldata values) external {
        uint256 total;
        for (uint256 i; i < recipients.length; ++i) {
            total += values[i];
        }
        token.safeTransferFrom(msg.sender, address(this), total);
        for (uint256 i; i < recipients.length; ++i) {
            token.safeTransfer(recipients[i], values[i]);
        }
    }
}
