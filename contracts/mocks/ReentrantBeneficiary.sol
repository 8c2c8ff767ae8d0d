// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IAidEscrow} from "../interfaces/IAidEscrow.sol";

/// @notice Test-only household or donor wallet that tries to re-enter the escrow when paid.
contract ReentrantBeneficiary {
    enum Attack {
        None,
        Claim,
        Refund
    }

    IAidEscrow public immutable escrow;
    Attack public attack;
    uint256 public projectId;
    bytes32 public commitment;
    uint8 public trancheIndex;
    bool public reentered;
    bytes public reentryError;

    constructor(IAidEscrow escrow_) {
        escrow = escrow_;
    }

    function arm(Attack attack_, uint256 projectId_, bytes32 commitment_, uint8 trancheIndex_) external {
        attack = attack_;
        projectId = projectId_;
        commitment = commitment_;
        trancheIndex = trancheIndex_;
    }

    function claim(uint256 projectId_, bytes32 commitment_, uint8 trancheIndex_) external {
        escrow.claim(projectId_, commitment_, trancheIndex_, new address[](0));
    }

    function donate(uint256 projectId_, uint256 termsVersion_) external payable {
        escrow.donate{value: msg.value}(projectId_, termsVersion_);
    }

    function refund(uint256 projectId_) external {
        escrow.refund(projectId_);
    }

    error ReentrySucceeded();

    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (attack == Attack.None) return;
        Attack current = attack;
        attack = Attack.None;
        reentered = true;
        bytes memory data = current == Attack.Claim
            ? abi.encodeCall(IAidEscrow.claim, (projectId, commitment, trancheIndex, new address[](0)))
            : abi.encodeCall(IAidEscrow.refund, (projectId));
        (bool ok, bytes memory err) = address(escrow).call(data);
        // Record the refusal and let the outer payment finish, so the test can read the reason.
        if (ok) revert ReentrySucceeded();
        reentryError = err;
    }
}
