// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ProtocolFixture} from "./utils/ProtocolFixture.sol";
import {IAidEscrow} from "../../contracts/interfaces/IAidEscrow.sol";
import {IAidRegistry} from "../../contracts/interfaces/IAidRegistry.sol";
import {IAidTermsErrors} from "../../contracts/interfaces/IAidTermsErrors.sol";
import {ProjectTerms, ProjectStatus, ProjectLedger} from "../../contracts/interfaces/AidTypes.sol";

/// @notice Property-based tests of the escrow's money rules and of the registry's attester-list rule.
contract AidEscrowFuzzTest is ProtocolFixture {
    address[5] internal donors;

    function setUp() public {
        vm.warp(1_800_000_000);
        _deployProtocol(6, 6);
        for (uint256 i; i < 5; ++i) {
            donors[i] = makeAddr(string.concat("donor-", _digit(i)));
        }
    }

    // ------------------------------------------------------------ refunds

    struct RefundCase {
        uint256 n;
        uint256 raised;
        uint88 perTranche;
        uint256 claims;
        uint256 pool;
        uint256 projectId;
    }

    /// @notice For 2-5 donors with fuzzed amounts (1-wei donations included) and a fuzzed number of
    /// claimed tranches, in a fuzzed refund order, after a close or a cancellation: every donor but the
    /// last gets exactly floor(contribution x pool / raised), the last gets the rest of the pool, the sum
    /// refunded equals raised - claimed exactly, and the escrow ends holding nothing.
    function testFuzz_refund_paysProRataRoundedDown(
        uint256 nSeed,
        uint256[5] memory amounts,
        uint256 perTrancheSeed,
        uint256 claimSeed,
        uint256 orderSeed,
        bool cancel
    ) public {
        RefundCase memory rc;
        rc.n = bound(nSeed, 2, 5);
        for (uint256 i; i < rc.n; ++i) {
            // One in four donations is dust (1..3 wei) so the last-refunder rounding is exercised.
            amounts[i] = amounts[i] % 4 == 0 ? bound(amounts[i] >> 2, 1, 3) : bound(amounts[i], 1, 50 ether);
            rc.raised += amounts[i];
        }
        rc.perTranche = uint88(bound(perTrancheSeed, 1, rc.raised / 4 == 0 ? 1 : rc.raised / 4));
        uint256 maxHouseholds = rc.raised / (4 * uint256(rc.perTranche));
        if (maxHouseholds > 3) maxHouseholds = 3;
        rc.claims = bound(claimSeed, 0, maxHouseholds * 4);

        ProjectTerms memory t = _terms(address(0), rc.perTranche, 4);
        t.threshold = 1;
        rc.projectId = _createProject(t);
        for (uint256 i; i < rc.n; ++i) {
            vm.deal(donors[i], amounts[i]);
            vm.prank(donors[i]);
            escrow.donate{value: amounts[i]}(rc.projectId, 1);
        }

        _enrolAndClaim(rc, t);
        rc.pool = rc.raised - rc.claims * rc.perTranche;
        assertEq(address(escrow).balance, rc.pool, "escrow holds raised - claimed");

        if (cancel) {
            vm.prank(manager);
            escrow.approveCancellation(rc.projectId);
            vm.prank(reviewer);
            escrow.approveCancellation(rc.projectId);
            assertEq(uint256(escrow.projectStatus(rc.projectId)), uint256(ProjectStatus.Cancelled), "cancelled");
        } else {
            vm.warp(t.claimDeadline);
            assertEq(uint256(escrow.projectStatus(rc.projectId)), uint256(ProjectStatus.Closed), "closed");
        }

        _refundAllInFuzzedOrder(rc, amounts, orderSeed);

        ProjectLedger memory l = escrow.projectLedger(rc.projectId);
        uint256 dust = rc.pool - l.refunded;
        assertLt(dust, rc.n, "sum refunded == raised - claimed, less under one wei per donor");
        assertEq(l.raised, l.claimed + l.refunded + dust, "raised == claimed + refunded + held");
        assertEq(l.refundedDonors, rc.n, "every donor refunded");
        assertEq(address(escrow).balance, dust, "the escrow ends holding only the dust");
    }

    function _enrolAndClaim(RefundCase memory rc, ProjectTerms memory t) private {
        uint256 households = (rc.claims + 3) / 4;
        for (uint256 h; h < households; ++h) {
            bytes32 commitment = keccak256(abi.encode("household", h));
            address account = makeAddr(string.concat("household-", _digit(h)));
            address[] memory attesters =
                _identify(commitment, account, t.conditions, 1, uint40(block.timestamp + 365 days));
            vm.prank(officialPool[0]);
            escrow.enrol(rc.projectId, commitment, attesters);
        }
        vm.warp(t.trancheUnlockTimes[3]);
        address[] memory none = new address[](0);
        for (uint256 j; j < rc.claims; ++j) {
            uint256 h = j / 4;
            address account = makeAddr(string.concat("household-", _digit(h)));
            uint256 before = account.balance;
            vm.prank(account);
            escrow.claim(rc.projectId, keccak256(abi.encode("household", h)), uint8(j % 4), none);
            assertEq(account.balance - before, rc.perTranche, "tranche paid to the bound account");
        }
    }

    function _refundAllInFuzzedOrder(RefundCase memory rc, uint256[5] memory amounts, uint256 orderSeed) private {
        uint256[5] memory order = [uint256(0), 1, 2, 3, 4];
        for (uint256 i = rc.n - 1; i > 0; --i) {
            uint256 j = uint256(keccak256(abi.encode(orderSeed, i))) % (i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        uint256 refundedSoFar;
        for (uint256 r; r < rc.n; ++r) {
            address donor = donors[order[r]];
            uint256 contribution = amounts[order[r]];
            uint256 expected = contribution * rc.pool / rc.raised;
            assertEq(escrow.refundableOf(rc.projectId, donor), expected, "refundableOf predicts the refund");
            uint256 before = donor.balance;
            vm.prank(donor);
            escrow.refund(rc.projectId);
            uint256 got = donor.balance - before;
            assertEq(got, expected, "floor(c * pool / raised), whatever the order");
            assertLe(got, contribution, "refund <= contribution");
            refundedSoFar += got;
            assertLe(refundedSoFar, rc.pool, "refunds never exceed the pool");
            assertEq(escrow.contributionOf(rc.projectId, donor), 0, "contribution cleared");
            vm.expectRevert(abi.encodeWithSelector(IAidEscrow.AidEscrowNothingToRefund.selector, rc.projectId, donor));
            vm.prank(donor);
            escrow.refund(rc.projectId);
        }
        assertLe(refundedSoFar, rc.pool, "sum refunded <= raised - claimed");
        assertLt(rc.pool - refundedSoFar, rc.n, "what rounding leaves is under one wei per donor");
        assertEq(address(escrow).balance, rc.pool - refundedSoFar, "the escrow holds exactly the dust");
    }

    /// @notice The case fuzzing found against the earlier "last refunder takes the dust" rule, under which
    /// the last donor got 761650 back for 761647 given. With rounding down for everyone nobody gets back
    /// more than it gave, and the 4 wei of dust stay with the project.
    function test_refund_noDonorGetsBackMoreThanItGave() public {
        uint256[5] memory amounts = [uint256(2), 29751456189145691, 2, 787644, 761647];
        ProjectTerms memory t = _terms(address(0), 28, 1);
        t.threshold = 1;
        uint256 projectId = _createProject(t);
        uint256 raised;
        for (uint256 i; i < 5; ++i) {
            vm.deal(donors[i], amounts[i]);
            vm.prank(donors[i]);
            escrow.donate{value: amounts[i]}(projectId, 1);
            raised += amounts[i];
        }
        RefundCase memory rc =
            RefundCase({n: 5, raised: raised, perTranche: 28, claims: 1, pool: raised - 28, projectId: projectId});
        bytes32 commitment = keccak256(abi.encode("household", uint256(0)));
        address account = makeAddr("household-0");
        address[] memory attesters = _identify(commitment, account, t.conditions, 1, uint40(block.timestamp + 365 days));
        vm.prank(officialPool[0]);
        escrow.enrol(projectId, commitment, attesters);
        vm.warp(t.trancheUnlockTimes[0]);
        vm.prank(account);
        escrow.claim(projectId, commitment, 0, new address[](0));
        vm.warp(t.claimDeadline);

        // floor(c x pool / raised) for each donor, as computed off chain.
        uint256[5] memory expected = [uint256(1), 29751456189145663, 1, 787643, 761646];
        uint256 refunded;
        for (uint256 i; i < 5; ++i) {
            uint256 before = donors[i].balance;
            vm.prank(donors[i]);
            escrow.refund(projectId);
            assertEq(donors[i].balance - before, expected[i], "refund");
            assertLe(expected[i], amounts[i], "nobody gets back more than it gave");
            refunded += expected[i];
        }
        assertEq(escrow.projectLedger(projectId).refunded, refunded, "ledger refunded");
        assertEq(rc.pool - refunded, 4, "4 wei of rounding dust stay with the project");
        assertEq(address(escrow).balance, 4, "the escrow holds exactly the dust");
    }

    /// @notice Three 1-wei donors after a claim: the first two round down to zero, the last takes the
    /// whole remaining pool, and a zero refund still marks the donor as refunded (docs/THREATS.md).
    function test_refund_oneWeiDonorsAllRoundDownToZero() public {
        ProjectTerms memory t = _terms(address(0), 1, 1);
        t.threshold = 1;
        uint256 projectId = _createProject(t);
        for (uint256 i; i < 3; ++i) {
            vm.deal(donors[i], 1);
            vm.prank(donors[i]);
            escrow.donate{value: 1}(projectId, 1);
        }
        bytes32 commitment = keccak256("one-wei household");
        address account = makeAddr("one-wei household");
        address[] memory attesters = _identify(commitment, account, t.conditions, 1, uint40(block.timestamp + 365 days));
        vm.prank(officialPool[0]);
        escrow.enrol(projectId, commitment, attesters);
        vm.warp(t.trancheUnlockTimes[0]);
        vm.prank(account);
        escrow.claim(projectId, commitment, 0, new address[](0));
        vm.warp(t.claimDeadline);
        // pool = 3 - 1 = 2; floor(1 * 2 / 3) = 0 for every donor: the 2 wei stay as dust.
        uint256[3] memory expected = [uint256(0), 0, 0];
        for (uint256 i; i < 3; ++i) {
            vm.prank(donors[i]);
            escrow.refund(projectId);
            assertEq(donors[i].balance, expected[i], "refund");
        }
        assertEq(escrow.projectLedger(projectId).refundedDonors, 3, "zero refunds still count");
        assertEq(address(escrow).balance, 2, "the 2 wei of dust stay with the project");
    }

    // ------------------------------------------------------------ donations and time

    /// @notice Donations (ETH and token) succeed exactly while now < fundingDeadline, and otherwise fail
    /// with the status the project is actually in. One run in three probes deadline - 1, deadline, + 1.
    function testFuzz_donate_acceptedOnlyWhileFunding(uint256 dtSeed, uint256 amountSeed, bool useToken) public {
        ProjectTerms memory t = _terms(useToken ? address(stable) : address(0), 1 ether, 3);
        uint256 projectId = _createProject(t);
        uint256 when;
        if (dtSeed % 3 == 0) {
            when = uint256(t.fundingDeadline) - 1 + bound(dtSeed >> 2, 0, 2);
        } else {
            when = bound(dtSeed, block.timestamp, uint256(t.claimDeadline) + 10 days);
        }
        uint256 amount = bound(amountSeed, 1, 1_000_000 ether);
        vm.warp(when);
        address donor = donors[0];

        bool open = when < t.fundingDeadline;
        _fund(donor, amount, useToken);
        if (!open) {
            ProjectStatus status = when >= t.claimDeadline ? ProjectStatus.Closed : ProjectStatus.Active;
            assertEq(uint256(escrow.projectStatus(projectId)), uint256(status), "status from time");
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAidEscrow.AidEscrowWrongProjectStatus.selector, projectId, ProjectStatus.Funding, status
                )
            );
        }
        _donateAs(donor, projectId, amount, useToken);
        uint256 expected = open ? amount : 0;
        assertEq(escrow.projectLedger(projectId).raised, expected, "raised");
        assertEq(escrow.contributionOf(projectId, donor), expected, "contribution");
        uint256 held = useToken ? stable.balanceOf(address(escrow)) : address(escrow).balance;
        assertEq(held, expected, "escrow balance");
    }

    function _fund(address donor, uint256 amount, bool useToken) private {
        if (useToken) {
            stable.mint(donor, amount);
            vm.prank(donor);
            stable.approve(address(escrow), amount);
        } else {
            vm.deal(donor, amount);
        }
    }

    /// @dev Exactly one external call, so a preceding expectRevert applies to the donation itself.
    function _donateAs(address donor, uint256 projectId, uint256 amount, bool useToken) private {
        vm.prank(donor);
        if (useToken) escrow.donateToken(projectId, amount, 1);
        else escrow.donate{value: amount}(projectId, 1);
    }

    /// @notice A tranche is paid only once the claim time is at or after both its unlock time and the
    /// enrolment's publicity window, and strictly before the claim deadline; each refusal names the
    /// first rule broken, in the contract's documented order.
    function testFuzz_claim_paysOnlyBetweenUnlockAndWindowAndDeadline(uint256 dtSeed, uint8 trancheSeed) public {
        ProjectTerms memory t = _terms(address(0), 1 ether, 3); // unlocks at +10, +15, +20 days
        t.threshold = 1;
        t.publicityWindow = uint32(12 days); // ends between the first and the second unlock
        uint256 projectId = _createProject(t);
        vm.deal(donors[0], 3 ether);
        vm.prank(donors[0]);
        escrow.donate{value: 3 ether}(projectId, 1);
        bytes32 commitment = keccak256("claimer");
        address account = makeAddr("claimer");
        address[] memory attesters = _identify(commitment, account, t.conditions, 1, uint40(block.timestamp + 365 days));
        vm.prank(officialPool[0]);
        escrow.enrol(projectId, commitment, attesters);
        uint40 windowEndsAt = escrow.enrolment(projectId, commitment).windowEndsAt;
        assertEq(windowEndsAt, block.timestamp + 12 days, "window");

        uint8 tranche = uint8(bound(trancheSeed, 0, 2));
        uint256 when = bound(dtSeed, block.timestamp, uint256(t.claimDeadline) + 1 days);
        vm.warp(when);
        uint40 unlock = t.trancheUnlockTimes[tranche];
        if (when >= t.claimDeadline) {
            vm.expectRevert(
                abi.encodeWithSelector(IAidEscrow.AidEscrowClaimsClosed.selector, projectId, t.claimDeadline)
            );
        } else if (when < unlock) {
            vm.expectRevert(
                abi.encodeWithSelector(IAidEscrow.AidEscrowTrancheLocked.selector, projectId, tranche, unlock)
            );
        } else if (when < windowEndsAt) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAidEscrow.AidEscrowPublicityWindowOpen.selector, projectId, commitment, windowEndsAt
                )
            );
        }
        vm.prank(account);
        escrow.claim(projectId, commitment, tranche, new address[](0));
        bool paid = when < t.claimDeadline && when >= unlock && when >= windowEndsAt;
        assertEq(account.balance, paid ? 1 ether : 0, "paid exactly when every rule holds");
        assertEq(escrow.projectLedger(projectId).claimed, paid ? 1 ether : 0, "claimed");
    }

    /// @notice Enrolments never commit more than was raised: with a fuzzed amount raised and up to six
    /// households, exactly min(floor(raised / (tranches x amount)), cap) are enrolled and the next one
    /// fails with AidEscrowOverCommitment or AidEscrowCapacityReached.
    function testFuzz_enrol_neverCommitsMoreThanRaised(uint256 raisedSeed, uint256 capSeed) public {
        ProjectTerms memory t = _terms(address(0), 1 ether, 3);
        t.threshold = 1;
        t.maxBeneficiaries = uint32(bound(capSeed, 1, 6));
        uint256 projectId = _createProject(t);
        uint256 raised = bound(raisedSeed, 1, 20 ether);
        vm.deal(donors[0], raised);
        vm.prank(donors[0]);
        escrow.donate{value: raised}(projectId, 1);

        uint256 fits = raised / 3 ether;
        if (fits > t.maxBeneficiaries) fits = t.maxBeneficiaries;
        for (uint256 h; h <= fits && h < 7; ++h) {
            bytes32 commitment = keccak256(abi.encode("enrolee", h));
            address[] memory attesters = _identify(
                commitment, makeAddr(string.concat("enrolee-", _digit(h))), t.conditions, 1, uint40(block.timestamp + 365 days)
            );
            if (h == fits) {
                if (h == t.maxBeneficiaries) {
                    vm.expectRevert(
                        abi.encodeWithSelector(
                            IAidEscrow.AidEscrowCapacityReached.selector, projectId, t.maxBeneficiaries
                        )
                    );
                } else {
                    vm.expectRevert(
                        abi.encodeWithSelector(
                            IAidEscrow.AidEscrowOverCommitment.selector, projectId, 3 ether, raised - h * 3 ether
                        )
                    );
                }
            }
            vm.prank(officialPool[0]);
            escrow.enrol(projectId, commitment, attesters);
        }
        ProjectLedger memory l = escrow.projectLedger(projectId);
        assertEq(l.committed, fits * 3 ether, "committed");
        assertLe(l.committed, l.raised, "committed <= raised");
        assertEq(l.enrolled, fits, "enrolled");
    }

    // ------------------------------------------------------------ terms validation

    /// @notice Unlock times are accepted exactly when they are non-zero, strictly increasing and all
    /// before the claim deadline; otherwise the first offending index and value are reported.
    function testFuzz_terms_unlockTimesMustIncreaseBeforeClaimDeadline(
        uint256 nSeed,
        uint256[12] memory raw,
        bool sortFirst
    ) public {
        uint256 n = bound(nSeed, 1, 12);
        ProjectTerms memory t = _terms(address(0), 1 ether, uint8(n));
        uint40 base = uint40(block.timestamp);
        t.claimDeadline = base + uint40(13 * DAY);
        for (uint256 i; i < n; ++i) {
            // 0 (never valid), or a day-grid point from base + 1d to base + 14d: values at or beyond the
            // claim deadline (13d) are invalid, and collisions are frequent.
            uint256 v = raw[i] % 15;
            t.trancheUnlockTimes[i] = v == 0 ? 0 : base + uint40(v * DAY);
        }
        if (sortFirst) {
            for (uint256 i = 1; i < n; ++i) {
                for (uint256 j = i; j > 0 && t.trancheUnlockTimes[j - 1] > t.trancheUnlockTimes[j]; --j) {
                    (t.trancheUnlockTimes[j - 1], t.trancheUnlockTimes[j]) =
                        (t.trancheUnlockTimes[j], t.trancheUnlockTimes[j - 1]);
                }
            }
        }
        (bool valid, uint256 badIndex) = _firstBadUnlock(t.trancheUnlockTimes, t.claimDeadline);
        if (!valid) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAidTermsErrors.AidTermsInvalidUnlockTime.selector, badIndex, t.trancheUnlockTimes[badIndex]
                )
            );
        }
        vm.prank(manager);
        escrow.createProject(t);
        assertEq(escrow.projectCount(), valid ? 1 : 0, "created exactly when valid");
        if (valid) {
            uint40[] memory stored = escrow.projectTerms(1).trancheUnlockTimes;
            assertEq(stored.length, n, "tranche count");
            for (uint256 i; i < n; ++i) {
                assertEq(stored[i], t.trancheUnlockTimes[i], "unlock time stored");
            }
        }
    }

    function _firstBadUnlock(uint40[] memory times, uint40 claimDeadline) private pure returns (bool, uint256) {
        uint40 previous;
        for (uint256 i; i < times.length; ++i) {
            if (times[i] <= previous || times[i] >= claimDeadline) return (false, i);
            previous = times[i];
        }
        return (true, 0);
    }

    // ------------------------------------------------------------ attester lists

    /// @notice verifyConditions accepts an attester list exactly when each condition's group is strictly
    /// ascending (so its k officials are distinct), names the first offender otherwise, and on success
    /// returns the earliest expiry among the attestations used.
    function testFuzz_verifyConditions_rejectsAnyUnsortedAttesterList(uint256 kSeed, uint256[8] memory idx) public {
        bytes32 commitment = keccak256("verified household");
        _bind(commitment, makeAddr("verified household"));
        bytes32[] memory conditions = new bytes32[](2);
        conditions[0] = INCOME;
        conditions[1] = SCHOOL;
        for (uint256 o; o < 6; ++o) {
            for (uint256 c; c < 2; ++c) {
                vm.prank(officialPool[o]);
                registry.attest(commitment, conditions[c], _expiryOf(o, c), bytes32(0), 0);
            }
        }
        uint256 k = bound(kSeed, 1, 4);
        address[] memory attesters = new address[](2 * k);
        // Mostly sorted picks (so acceptances are common), with a fuzzed disorder bit per slot.
        for (uint256 i; i < 2 * k; ++i) {
            attesters[i] = officialPool[idx[i] % 6];
        }
        if (idx[7] % 2 == 0) _sortGroups(attesters, k);

        (bool ok, bytes32 badCondition, address badAttester, uint40 minExpiry) = _checkGroups(attesters, conditions, k);
        if (!ok) {
            vm.expectRevert(
                abi.encodeWithSelector(IAidRegistry.AidRegistryAttestersNotAscending.selector, badCondition, badAttester)
            );
        }
        (uint40 eligibleUntil,) = registry.verifyConditions(commitment, conditions, uint8(k), attesters);
        if (ok) assertEq(eligibleUntil, minExpiry, "earliest expiry among the attesters used");
    }

    function _expiryOf(uint256 official, uint256 condition) private view returns (uint40) {
        return uint40(block.timestamp + 30 days + official * 1 days + condition * 7 days);
    }

    function _sortGroups(address[] memory a, uint256 k) private pure {
        for (uint256 g; g < a.length; g += k) {
            for (uint256 i = g + 1; i < g + k; ++i) {
                for (uint256 j = i; j > g && a[j - 1] > a[j]; --j) {
                    (a[j - 1], a[j]) = (a[j], a[j - 1]);
                }
            }
        }
    }

    function _checkGroups(address[] memory a, bytes32[] memory conditions, uint256 k)
        private
        view
        returns (bool ok, bytes32 badCondition, address badAttester, uint40 minExpiry)
    {
        minExpiry = type(uint40).max;
        for (uint256 c; c < conditions.length; ++c) {
            address previous;
            for (uint256 j = c * k; j < (c + 1) * k; ++j) {
                if (a[j] <= previous) return (false, conditions[c], a[j], 0);
                previous = a[j];
                uint40 e = _expiryOf(_poolIndex(a[j]), c);
                if (e < minExpiry) minExpiry = e;
            }
        }
        ok = true;
    }

    function _poolIndex(address o) private view returns (uint256) {
        for (uint256 i; i < officialPool.length; ++i) {
            if (officialPool[i] == o) return i;
        }
        revert("not an official");
    }
}
