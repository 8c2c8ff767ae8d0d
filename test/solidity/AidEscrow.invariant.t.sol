// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {TestBase} from "./utils/Vm.sol";
import {Handler} from "./invariant/Handler.sol";
import {AidRegistry} from "../../contracts/AidRegistry.sol";
import {AidEscrow} from "../../contracts/AidEscrow.sol";
import {TestStablecoin} from "../../contracts/mocks/TestStablecoin.sol";
import {ProjectLedger, Enrolment, EnrolmentStatus} from "../../contracts/interfaces/AidTypes.sol";

/// @notice Stateful invariants of PrecisionAid. The fuzzer calls only the Handler, which drives the
/// real registry and escrow with role-correct, bounded actions (donations in ETH and the stablecoin,
/// enrolments, objections and rulings, exits, claims, revocations, re-attestations, official churn,
/// time, pause, cancellation, refunds) and keeps its own books. Each invariant_* compares the
/// contracts with those books after every call.
contract AidEscrowInvariantTest is TestBase {
    Handler internal handler;
    AidRegistry internal registry;
    AidEscrow internal escrow;
    TestStablecoin internal stable;
    uint256 internal projects;
    uint256 internal households;
    uint256 internal donors;

    function setUp() public {
        handler = new Handler();
        (address r, address e, address s) = handler.contracts();
        registry = AidRegistry(r);
        escrow = AidEscrow(e);
        stable = TestStablecoin(s);
        projects = handler.PROJECTS();
        households = handler.HOUSEHOLDS();
        donors = handler.DONORS();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    // ------------------------------------------------------------------ the handler itself

    /// @notice A scripted walk through every handler action, so a handler change that makes an action
    /// unreachable (and an invariant vacuous) fails here; every invariant is then checked on the result.
    function test_handler_reachesEveryActionAndKeepsItsBooks() public {
        handler.donate(0, 1, 2 ether + 1); // P0 (ETH), donor 1
        handler.donateToken(3, 2, 400e6 + 1); // P3 (stablecoin), donor 2
        handler.enrol(0, 1, 0, 1);
        handler.enrol(0, 2, 0, 1);
        handler.enrol(0, 3, 0, 1);
        handler.object(0, 3, 0);
        handler.ruleOnObjection(0, 3, true, 2); // upheld
        handler.object(0, 2, 0);
        handler.ruleOnObjection(0, 2, false, 2); // dismissed
        handler.warp(1 days + 1); // + 2 days: window over, first tranche unlocked
        handler.claim(0, 1, 0); // fresh proof
        handler.recordExit(0, 2, 0); // tranche 0 had unlocked: the exit leaves it owed
        handler.claimWithoutFreshProof(0, 2, 0, false); // cached proof, after the exit
        handler.registryAction(0, 1, 0, 0, 1); // revoke
        handler.registryAction(1, 1, 0, 0, 30 days); // re-attest
        handler.registryAction(2, 0, 0, 3, 0); // remove an official
        handler.registryAction(2, 0, 0, 4, 0); // appoint one
        handler.adminAction(0, 0, 0); // pause
        handler.adminAction(0, 0, 0); // unpause
        handler.adminAction(1, 0, 0); // manager approves cancelling P0
        handler.adminAction(2, 0, 0); // and withdraws it
        handler.warp(1 days); // the cooldown after the pause has passed; the window too
        handler.adminAction(1, 0, 1); // reviewer approves first this time
        handler.adminAction(1, 0, 0); // the manager completes it: cancelled
        handler.refund(0, 0);
        handler.refund(0, 1);

        bytes32[19] memory actions = [
            bytes32("donate"), "donateToken", "enrol", "object", "uphold", "dismiss", "warp", "claim", "exit",
            "revoke", "attest", "removeOfficial", "addOfficial", "pause", "unpause", "halfApproval",
            "withdrawCancellation", "cancel", "refund"
        ];
        for (uint256 i; i < actions.length; ++i) {
            assertGe(handler.successes(actions[i]), 1, string.concat("reached: ", string(abi.encodePacked(actions[i]))));
        }
        assertEq(handler.successes("claim"), 2, "both claims paid");
        assertEq(handler.paymentCount(), 2, "two payments recorded");
        assertEq(handler.successes("refund"), 2, "both P0 donors refunded");

        invariant_conservationPerProject();
        invariant_escrowBalanceEqualsWhatProjectsHold();
        invariant_solvency();
        invariant_noOverCommitment();
        invariant_refundsBounded();
        invariant_contributionsMatchDeposits();
        invariant_noPaymentBeforeWindowAndUnlock();
        invariant_everyPaymentBackedByKDistinctCurrentOfficials();
        invariant_paidOnlyToBoundHouseholdsOrDonors();
        invariant_statusOnlyMovesForward();
        invariant_enrolledCountMatchesModel();
        invariant_ledgerCountersMatchGhosts();
        invariant_forbiddenActionsNeverSucceed();
        invariant_allowedActionsSucceed();
        invariant_noTrancheUnlockedWhileEligibleLostToAnExitOrAPause();
        invariant_noSingleAccountDecidesAHouseholdOrAProject();
    }

    // ------------------------------------------------------------------ money

    /// @notice Per project: the escrow's raised, claimed and refunded equal the handler's books, and
    /// raised == claimed + refunded + held, with held tracked separately by the handler.
    function invariant_conservationPerProject() public view {
        for (uint256 p; p < projects; ++p) {
            Handler.Ghost memory g = handler.ghost(p);
            ProjectLedger memory l = escrow.projectLedger(handler.config(p).id);
            assertEq(l.raised, g.raised, "raised == sum donated");
            assertEq(l.claimed, g.claimed, "claimed == sum paid to households");
            assertEq(l.refunded, g.refunded, "refunded == sum paid back to donors");
            assertEq(l.raised, l.claimed + l.refunded + g.held, "raised == claimed + refunded + held");
        }
    }

    /// @notice Summed over the ETH projects, raised - claimed - refunded equals the escrow's ETH balance;
    /// summed over the stablecoin projects, it equals the escrow's stablecoin balance.
    function invariant_escrowBalanceEqualsWhatProjectsHold() public view {
        (uint256 eth, uint256 token) = _heldByLedger();
        assertEq(address(escrow).balance, eth, "ETH balance == sum of ETH projects' raised - claimed - refunded");
        assertEq(stable.balanceOf(address(escrow)), token, "stablecoin balance == sum over stablecoin projects");
        uint256 ghostEth;
        uint256 ghostToken;
        for (uint256 p; p < projects; ++p) {
            if (handler.config(p).isToken) ghostToken += handler.ghost(p).held;
            else ghostEth += handler.ghost(p).held;
        }
        assertEq(eth, ghostEth, "ETH held by the ledger == held by the handler's books");
        assertEq(token, ghostToken, "stablecoin held by the ledger == held by the handler's books");
    }

    /// @notice Solvency: the escrow can always pay every project what it still holds.
    function invariant_solvency() public view {
        (uint256 eth, uint256 token) = _heldByLedger();
        assertGe(address(escrow).balance, eth, "ETH balance covers every ETH project");
        assertGe(stable.balanceOf(address(escrow)), token, "stablecoin balance covers every stablecoin project");
    }

    /// @notice No project promises more than it raised, nor pays more than it promised, and the
    /// commitment matches the handler's tranche-by-tranche model.
    function invariant_noOverCommitment() public view {
        for (uint256 p; p < projects; ++p) {
            ProjectLedger memory l = escrow.projectLedger(handler.config(p).id);
            assertLe(l.committed, l.raised, "committed <= raised");
            assertLe(l.claimed, l.committed, "claimed <= committed");
            assertEq(l.committed, handler.ghost(p).committed, "committed == model (open tranches x amount)");
        }
    }

    /// @notice Refunds: every donor gets exactly floor(contribution x (raised - claimed) / raised), never
    /// more than it gave; per project the sum refunded never exceeds raised - claimed, and once every donor
    /// refunded what is left (the rounding dust) is under one wei per donor.
    function invariant_refundsBounded() public view {
        assertEq(handler.violations(handler.REFUND_SHARE()), 0, handler.firstViolation(handler.REFUND_SHARE()));
        for (uint256 p; p < projects; ++p) {
            Handler.Ghost memory g = handler.ghost(p);
            ProjectLedger memory l = escrow.projectLedger(handler.config(p).id);
            uint256 sum;
            for (uint256 d; d < donors; ++d) {
                uint256 got = handler.refundedTo(p, d);
                uint256 gave = handler.deposit(p, d);
                assertLe(got, gave, "refund <= contribution");
                sum += got;
            }
            assertEq(sum, l.refunded, "sum of refunds == ledger refunded");
            assertLe(l.refunded, l.raised - l.claimed, "refunded <= raised - claimed");
            if (g.donorCount != 0 && g.refundedDonors == g.donorCount) {
                assertLt(l.raised - l.claimed - l.refunded, g.donorCount, "all donors refunded: only dust is left");
            }
        }
    }

    /// @notice What each donor may still take back is what it gave, until it took its refund.
    function invariant_contributionsMatchDeposits() public view {
        for (uint256 p; p < projects; ++p) {
            uint256 id = handler.config(p).id;
            for (uint256 d; d < donors; ++d) {
                uint256 expected = handler.hasRefunded(p, d) ? 0 : handler.deposit(p, d);
                assertEq(escrow.contributionOf(id, handler.donorList(d)), expected, "contributionOf");
            }
        }
    }

    // ------------------------------------------------------------------ payments

    /// @notice Every tranche paid was paid at or after the enrolment's publicity window and the tranche's
    /// unlock time, and before the (effective) claim deadline.
    function invariant_noPaymentBeforeWindowAndUnlock() public view {
        uint256 n = handler.paymentCount();
        for (uint256 i; i < n; ++i) {
            Handler.Payment memory pay = handler.payment(i);
            assertGe(pay.time, pay.windowEndsAt, "paid at or after the publicity window");
            assertGe(pay.time, pay.unlockTime, "paid at or after the unlock time");
            assertTrue(pay.time < pay.claimDeadline, "paid before the claim deadline");
        }
    }

    /// @notice Behind every payment stood, at payment time, k distinct current officials with valid
    /// attestations for every condition, and verifyConditions accepted them; and verifyConditions never
    /// disagreed with the handler's model of attestations.
    function invariant_everyPaymentBackedByKDistinctCurrentOfficials() public view {
        assertEq(handler.violations(handler.ELIGIBILITY()), 0, handler.firstViolation(handler.ELIGIBILITY()));
        uint256 n = handler.paymentCount();
        for (uint256 i; i < n; ++i) {
            Handler.Payment memory pay = handler.payment(i);
            assertTrue(pay.eligibleByModel, "k distinct current officials with valid attestations");
            assertTrue(pay.verifyAccepted, "verifyConditions accepted them at payment time");
        }
    }

    /// @notice Money only ever went to a household's bound account (claims) or to a donor (refunds), in
    /// exactly the amount due, and no other known actor's balance moved.
    function invariant_paidOnlyToBoundHouseholdsOrDonors() public view {
        assertEq(handler.violations(handler.PAYEE()), 0, handler.firstViolation(handler.PAYEE()));
        uint256 n = handler.paymentCount();
        for (uint256 i; i < n; ++i) {
            Handler.Payment memory pay = handler.payment(i);
            assertTrue(handler.isHouseholdAccount(pay.recipient), "recipient is a household account");
            assertEq(
                registry.identity(handler.commitments(pay.household)).account,
                pay.recipient,
                "recipient is the account bound to the commitment"
            );
        }
    }

    // ------------------------------------------------------------------ state machines and counters

    /// @notice A project's status never decreases, and always equals the status the rules give it.
    function invariant_statusOnlyMovesForward() public view {
        assertEq(handler.violations(handler.STATUS()), 0, handler.firstViolation(handler.STATUS()));
        for (uint256 p; p < projects; ++p) {
            uint256 actual = uint256(escrow.projectStatus(handler.config(p).id));
            assertEq(actual, uint256(handler.modelStatus(p)), "status == rules");
            assertGe(actual, handler.ghost(p).maxStatusSeen, "status never below one already seen");
        }
    }

    /// @notice The ledger's enrolled count equals the handler's count of Enrolled + Objected households,
    /// and every enrolment matches the model (status, settled tranches, window).
    function invariant_enrolledCountMatchesModel() public view {
        for (uint256 p; p < projects; ++p) {
            uint256 id = handler.config(p).id;
            uint256 count;
            for (uint256 h; h < households; ++h) {
                Handler.EnrolModel memory m = handler.enrolModel(p, h);
                Enrolment memory e = escrow.enrolment(id, handler.commitments(h));
                assertEq(uint256(e.status), uint256(m.status), "enrolment status == model");
                assertEq(e.settledMask, m.settled, "settled tranches == model");
                assertEq(e.windowEndsAt, m.windowEndsAt, "window == model");
                if (m.status == EnrolmentStatus.Enrolled || m.status == EnrolmentStatus.Objected) ++count;
            }
            assertEq(escrow.projectLedger(id).enrolled, count, "enrolled == Enrolled + Objected");
        }
    }

    /// @notice The ledger's counters equal the handler's: upheld objections, exits, enrolments, donors,
    /// refunded donors, and upheld objections charged to each official.
    function invariant_ledgerCountersMatchGhosts() public view {
        for (uint256 p; p < projects; ++p) {
            Handler.Ghost memory g = handler.ghost(p);
            ProjectLedger memory l = escrow.projectLedger(handler.config(p).id);
            assertEq(l.objectionsUpheld, g.upheld, "objectionsUpheld");
            assertEq(l.exited, g.exited, "exited");
            assertEq(l.enrolments, g.enrolments, "enrolments");
            assertEq(l.donors, g.donorCount, "donors");
            assertEq(l.refundedDonors, g.refundedDonors, "refundedDonors");
        }
        for (uint256 o; o < handler.POOL(); ++o) {
            address official = handler.official(o);
            assertEq(escrow.upheldObjectionsAgainst(official), handler.upheldAgainstModel(official), "upheld against");
            assertEq(registry.isOfficial(official), handler.regModel().active(o), "official standing");
        }
        assertEq(escrow.paused(), handler.pausedModel(), "paused");
    }

    /// @notice No tranche that unlocked while the household was enrolled is lost to an exit (the exit settles only
    /// tranches not yet unlocked; the handler checks the enrolment right after each exit), nor to a pause: every
    /// project's claim deadline sits exactly the paused time after the agreed one, so the time claims are open
    /// is never shortened by a pause (a cancelled project's is its cancellation time).
    function invariant_noTrancheUnlockedWhileEligibleLostToAnExitOrAPause() public view {
        assertEq(handler.violations(handler.EXIT_LOSS()), 0, handler.firstViolation(handler.EXIT_LOSS()));
        for (uint256 p; p < projects; ++p) {
            uint256 id = handler.config(p).id;
            assertEq(escrow.claimDeadline(id), handler.effectiveClaimDeadline(p), "claim deadline == agreed + paused");
            if (!handler.ghost(p).cancelled) {
                assertEq(
                    escrow.claimDeadline(id) - handler.pausedSecondsModel(),
                    handler.config(p).claimDeadline,
                    "the open claim time is the agreed one"
                );
            }
        }
    }

    /// @notice No single account's action changes a household's enrolment status to Exited (k current officials
    /// sign every exit) or cancels a project (two halves from two accounts, each still holding its role).
    function invariant_noSingleAccountDecidesAHouseholdOrAProject() public view {
        assertEq(handler.violations(handler.SINGLE_ACTOR()), 0, handler.firstViolation(handler.SINGLE_ACTOR()));
    }

    /// @notice The handler itself never reverts (every contract call is wrapped in try/catch, and the
    /// handler's own books never underflow), so no fuzzed sequence is silently discarded. This one
    /// invariant runs with fail-on-revert on, which the project-wide profiles leave off.
    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: ci.invariant.fail-on-revert = true
    function invariant_handlerNeverReverts() public view {
        assertGe(handler.successes("warp") + 1, 1, "handler reachable");
    }

    /// @notice Nothing the rules forbid ever succeeded: donations outside funding or while paused,
    /// enrolments without a valid proof or over capacity or over the money raised, objections outside
    /// the window, claims before unlock/window or after the deadline or twice, refunds before they open
    /// or twice, role-less approvals, and so on.
    function invariant_forbiddenActionsNeverSucceed() public view {
        assertEq(handler.violations(handler.GATE()), 0, handler.firstViolation(handler.GATE()));
    }

    /// @notice Nothing the rules allow was ever refused: donations while funding, enrolments with a valid
    /// proof and room, claims with a fresh valid proof, refunds once open, official churn, pause.
    function invariant_allowedActionsSucceed() public view {
        assertEq(handler.violations(handler.LIVENESS()), 0, handler.firstViolation(handler.LIVENESS()));
    }

    // ------------------------------------------------------------------ helpers

    function _heldByLedger() internal view returns (uint256 eth, uint256 token) {
        for (uint256 p; p < projects; ++p) {
            Handler.Config memory c = handler.config(p);
            ProjectLedger memory l = escrow.projectLedger(c.id);
            uint256 held = l.raised - l.claimed - l.refunded;
            if (c.isToken) token += held;
            else eth += held;
        }
    }
}
