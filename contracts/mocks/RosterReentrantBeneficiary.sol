// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IAidRosterProgramme} from "../interfaces/IAidRosterProgramme.sol";

/// @notice Test-only roster beneficiary or donor wallet that tries to re-enter the programme when paid:
/// a second claim of the same leaf-tranche, or a second refund.
contract RosterReentrantBeneficiary {
    IAidRosterProgramme public immutable programme;
    bool public armed;
    bool public reentered;
    bytes public reentryError;
    bytes private _reentry;

    constructor(IAidRosterProgramme programme_) {
        programme = programme_;
    }

    function claim(uint256 index, uint256 tranche, uint256 amount, bytes32[] calldata proof, bool reenter) external {
        armed = reenter;
        _reentry = abi.encodeCall(IAidRosterProgramme.claim, (index, tranche, amount, proof));
        programme.claim(index, tranche, amount, proof);
    }

    function donate() external payable {
        programme.donate{value: msg.value}();
    }

    function refund(bool reenter) external {
        armed = reenter;
        _reentry = abi.encodeCall(IAidRosterProgramme.refund, ());
        programme.refund();
    }

    error ReentrySucceeded();

    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (!armed) return;
        armed = false;
        reentered = true;
        (bool ok, bytes memory err) = address(programme).call(_reentry);
        // Record the refusal and let the outer payment finish, so the test can read the reason.
        if (ok) revert ReentrySucceeded();
        reentryError = err;
    }
}
