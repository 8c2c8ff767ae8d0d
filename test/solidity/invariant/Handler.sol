// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ProtocolFixture} from "../utils/ProtocolFixture.sol";
import {RegistryModel} from "./RegistryModel.sol";
import {ProjectTerms, ProjectStatus, EnrolmentStatus} from "../../../contracts/interfaces/AidTypes.sol";

/// @notice Drives the real AidRegistry and AidEscrow through bounded, role-correct actions and keeps an
/// independent model of what should have happened (ghost variables). Every action is attempted with
/// try/catch; the handler then compares the outcome with its model and records two kinds of finding:
/// GATE (the contract allowed something the rules forbid) and LIVENESS (the contract refused something
/// the rules allow). The invariant test asserts that both stay empty, next to the accounting invariants.
contract Handler is ProtocolFixture {
    uint256 public constant PROJECTS = 5; // 0..2 ETH, 3..4 stablecoin
    uint256 public constant HOUSEHOLDS = 5;
    uint256 public constant DONORS = 4;
    uint256 public constant POOL = 5; // officials known; 4 appointed at start
    uint256 public constant CONDITIONS = 2; // INCOME, SCHOOL

    bytes32 public constant STATUS = "status";
    bytes32 public constant ELIGIBILITY = "eligibility";
    bytes32 public constant PAYEE = "payee";
    bytes32 public constant REFUND_SHARE = "refund-share";
    bytes32 public constant GATE = "gate";
    bytes32 public constant LIVENESS = "liveness";
    /// @notice A tranche that had unlocked (and was claimable) before an exit was settled by it.
    bytes32 public constant EXIT_LOSS = "exit-loss";
    /// @notice A household-level decision took effect on fewer accounts than the rules require.
    bytes32 public constant SINGLE_ACTOR = "single-actor";

    uint40 public constant MAX_PAUSE = 14 days;
    uint40 public constant CANCELLATION_LIFETIME = 7 days;

    /// @notice The terms the handler created a project with (its own copy, never read back).
    struct Config {
        uint256 id;
        bool isToken;
        uint8 threshold;
        uint256 amount;
        uint40 fundingDeadline;
        uint40 claimDeadline;
        uint32 window;
        uint32 maxBeneficiaries;
        uint8 trancheCount;
        uint8 conditionMask; // bit 0: INCOME, bit 1: SCHOOL
    }

    /// @notice The handler's books for one project.
    struct Ghost {
        uint256 raised;
        uint256 claimed;
        uint256 refunded;
        uint256 held; // += donations, -= claims, -= refunds; never derived from the other three
        uint256 committed;
        uint256 donorCount;
        uint256 refundedDonors;
        uint256 enrolments;
        uint256 exited;
        uint256 upheld;
        address halfBy; // the cancellation half in force: who gave it (roles never change in a run)
        uint40 halfAt;
        bool cancelled;
        uint40 cancelledAt;
        uint8 maxStatusSeen;
    }

    struct EnrolModel {
        EnrolmentStatus status;
        uint16 settled;
        uint40 windowEndsAt;
        uint40 enrolledAt;
        bytes32 lastReason; // of the last objection: a dismissed one cannot be raised again with it
    }

    /// @notice The model of the escrow's pause clock (AidPauseClock).
    struct PauseModel {
        uint40 pausedAt;
        uint40 total;
        uint40 lastEnd;
        uint40 lastLength;
    }

    /// @notice One tranche payment as observed at the moment it was made.
    struct Payment {
        uint256 project; // handler index
        uint256 household;
        uint8 tranche;
        uint256 time;
        uint40 windowEndsAt; // from the model
        uint40 unlockTime; // from the handler's own terms
        uint40 claimDeadline; // effective (cancellation time after a cancellation)
        address recipient;
        uint256 amount; // measured balance change of the recipient
        bool eligibleByModel; // k distinct current officials held valid attestations for every condition
        bool verifyAccepted; // verifyConditions accepted those officials at payment time
    }

    struct Snap {
        uint256 mine;
        uint256 others;
        uint256 held;
    }

    address[] public donorList;
    address[] public householdAccounts;
    bytes32[] public commitments;
    bytes32[2] public conditionIds = [INCOME, SCHOOL];

    Config[PROJECTS] internal _config;
    uint40[][PROJECTS] internal _unlocks;
    Ghost[PROJECTS] internal _ghost;
    mapping(uint256 project => mapping(uint256 household => EnrolModel)) internal _enrol;
    mapping(uint256 project => mapping(uint256 household => address[])) internal _enrolAttesters;
    mapping(uint256 project => mapping(uint256 donor => uint256)) public deposit;
    mapping(uint256 project => mapping(uint256 donor => uint256)) public refundedTo;
    mapping(uint256 project => mapping(uint256 donor => bool)) public hasRefunded;
    RegistryModel public regModel;
    mapping(address official => uint256) public upheldAgainstModel;
    PauseModel internal _pauseModel;

    Payment[] internal _payments;
    mapping(bytes32 category => uint256) public violations;
    mapping(bytes32 category => string) public firstViolation;
    mapping(bytes32 action => uint256) public successes;

    constructor() {
        vm.warp(1_800_000_000);
        _deployProtocol(POOL, 4);
        regModel = new RegistryModel(officialPool);
        for (uint256 o; o < 4; ++o) {
            regModel.setActive(o, true);
        }
        for (uint256 d; d < DONORS; ++d) {
            donorList.push(makeAddr(string.concat("donor-", _digit(d))));
        }
        for (uint256 h; h < HOUSEHOLDS; ++h) {
            _setUpHousehold(h);
        }
        uint256 t0 = block.timestamp;
        // index, token, threshold, conditions, amount, unlock days, funding, claim, window (hours), max
        _addProject(0, false, 2, 1, 0.5 ether, _days3(2, 8, 14), t0, 6, 25, 24, 4);
        _addProject(1, false, 2, 3, 0.2 ether, _days6(1, 3, 5, 7, 9, 11), t0, 5, 20, 48, 3);
        _addProject(2, false, 1, 2, 1 ether, _days1(9), t0, 10, 16, 1, 5); // the shortest window allowed: one hour
        _addProject(3, true, 3, 1, 100e6, _days4(1, 4, 8, 12), t0, 4, 30, 24, 4);
        _addProject(4, true, 1, 3, 50e6, _days1(3), t0, 3, 12, 72, 2);
        for (uint256 p; p < PROJECTS; ++p) {
            _ghost[p].maxStatusSeen = uint8(ProjectStatus.Funding);
            // Opening donation: enough for two households, so enrolments are possible from the first step.
            _openingDonation(p, p % DONORS, 2 * _config[p].trancheCount * _config[p].amount);
        }
    }

    function _openingDonation(uint256 p, uint256 d, uint256 amount) internal {
        address donor = donorList[d];
        if (_config[p].isToken) {
            stable.mint(donor, amount);
            vm.prank(donor);
            stable.approve(address(escrow), amount);
            vm.prank(donor);
            escrow.donateToken(_config[p].id, amount, 1);
        } else {
            vm.deal(donor, amount);
            vm.prank(donor);
            escrow.donate{value: amount}(_config[p].id, 1);
        }
        _recordDonation(p, d, amount, true, "opening");
    }

    modifier step() {
        _;
        _observeStatuses();
    }

    // ================================================================ actions: money in

    function donate(uint256 pSeed, uint256 dSeed, uint256 amountSeed) external step {
        uint256 p = _pickProject(pSeed, false);
        uint256 d = dSeed % DONORS;
        uint256 amount = amountSeed % 4 == 0 ? bound(amountSeed >> 2, 1, 1000) : bound(amountSeed, 0.3 ether, 4 ether);
        address donor = donorList[d];
        vm.deal(donor, amount);
        uint256 before = address(escrow).balance;
        bool expected = !pausedModel() && !_config[p].isToken && _modelStatus(p) == ProjectStatus.Funding;
        vm.prank(donor);
        try escrow.donate{value: amount}(_config[p].id, 1) {
            if (address(escrow).balance - before != amount) _violate(GATE, "donate: escrow received another amount");
            _recordDonation(p, d, amount, expected, "donate");
        } catch {
            if (expected) _violate(LIVENESS, "donate refused while funding");
        }
    }

    function donateToken(uint256 pSeed, uint256 dSeed, uint256 amountSeed) external step {
        uint256 p = _pickProject(pSeed, true);
        uint256 d = dSeed % DONORS;
        uint256 amount = amountSeed % 4 == 0 ? bound(amountSeed >> 2, 1, 1000) : bound(amountSeed, 10e6, 1000e6);
        address donor = donorList[d];
        stable.mint(donor, amount);
        vm.prank(donor);
        stable.approve(address(escrow), amount);
        uint256 before = stable.balanceOf(address(escrow));
        bool expected = !pausedModel() && _config[p].isToken && _modelStatus(p) == ProjectStatus.Funding;
        vm.prank(donor);
        try escrow.donateToken(_config[p].id, amount, 1) {
            if (stable.balanceOf(address(escrow)) - before != amount) {
                _violate(GATE, "donateToken: escrow received another amount");
            }
            _recordDonation(p, d, amount, expected, "donateToken");
        } catch {
            if (expected) _violate(LIVENESS, "donateToken refused while funding");
        }
    }

    // ================================================================ actions: identification

    function enrol(uint256 pSeed, uint256 hSeed, uint256 oSeed, uint256 mode) external step {
        (uint256 p, uint256 h) = _pick(pSeed, hSeed, _enrolTarget);
        uint256 o = _pickOfficial(oSeed);
        (bool eligible, address[] memory list) = _modelAttesters(p, h, mode);
        if (!eligible || mode % 4 == 0) list = _naiveAttesters(p);
        bool listValid = _listValid(p, h, list);
        (bool expected, uint16 settled, uint256 amount) = _enrolExpectation(p, h, o, listValid);
        vm.prank(officialPool[o]);
        try escrow.enrol(_config[p].id, commitments[h], list) {
            if (!expected) _violate(GATE, "enrol succeeded against the rules");
            if (!listValid) _violate(ELIGIBILITY, "enrol accepted attesters the model says are invalid");
            _ghost[p].committed += amount;
            _ghost[p].enrolments += 1;
            _enrol[p][h] = EnrolModel({
                status: EnrolmentStatus.Enrolled,
                settled: settled,
                windowEndsAt: uint40(block.timestamp) + _config[p].window,
                enrolledAt: uint40(block.timestamp),
                lastReason: bytes32(0)
            });
            _enrolAttesters[p][h] = list;
            ++successes["enrol"];
        } catch {
            if (expected) _violate(LIVENESS, "enrol refused although every rule holds");
        }
    }

    /// @notice Objects with one of three reasons, so a dismissed reason is sometimes raised again (refused)
    /// and sometimes a new one (accepted).
    function object(uint256 pSeed, uint256 hSeed, uint256 who) external step {
        (uint256 p, uint256 h) = _pick(pSeed, hSeed, _objectTarget);
        address objector = who % 2 == 0 ? outsider : donorList[who % DONORS];
        bytes32 reason = keccak256(abi.encode("reason", (who >> 1) % 3));
        EnrolModel storage e = _enrol[p][h];
        bool expected =
            e.status == EnrolmentStatus.Enrolled && block.timestamp < e.windowEndsAt && reason != e.lastReason;
        vm.prank(objector);
        try escrow.object(_config[p].id, commitments[h], reason) {
            if (!expected) _violate(GATE, "objection accepted outside the window or status, or with a dismissed reason");
            e.status = EnrolmentStatus.Objected;
            e.lastReason = reason;
            ++successes["object"];
        } catch {
            if (expected) _violate(LIVENESS, "objection refused during the window");
        }
    }

    function ruleOnObjection(uint256 pSeed, uint256 hSeed, bool upheld, uint256 mode) external step {
        (uint256 p, uint256 h) = _pick(pSeed, hSeed, _objectedTarget);
        address caller = mode % 8 == 0 ? outsider : reviewer;
        address[] memory list = _enrolAttesters[p][h];
        bool wrongList = mode % 5 == 1 && list.length > 0;
        if (wrongList) list = new address[](0);
        EnrolModel storage e = _enrol[p][h];
        bool expected = caller == reviewer && e.status == EnrolmentStatus.Objected && !(upheld && wrongList);
        if (!upheld && mode % 3 == 2) {
            _dismissInBatch(p, h, caller, expected);
            return;
        }
        vm.prank(caller);
        try escrow.ruleOnObjection(_config[p].id, commitments[h], upheld, list) {
            if (!expected) _violate(GATE, "ruling accepted against the rules");
            if (upheld) {
                _release(p, h);
                e.status = EnrolmentStatus.Removed;
                _ghost[p].upheld += 1;
                // Once per official per ruling, however many conditions they attested.
                for (uint256 i; i < list.length; ++i) {
                    bool seen;
                    for (uint256 j; j < i; ++j) {
                        if (list[j] == list[i]) seen = true;
                    }
                    if (!seen) ++upheldAgainstModel[list[i]];
                }
                ++successes["uphold"];
            } else {
                e.status = EnrolmentStatus.Enrolled;
                ++successes["dismiss"];
            }
        } catch {
            if (expected) _violate(LIVENESS, "ruling refused");
        }
    }

    /// @dev The batch dismissal: one entry (plus the same one again, which is passed over).
    function _dismissInBatch(uint256 p, uint256 h, address caller, bool expected) internal {
        bytes32[] memory list = new bytes32[](2);
        list[0] = commitments[h];
        list[1] = commitments[h];
        vm.prank(caller);
        try escrow.dismissObjections(_config[p].id, list) returns (uint256 dismissed) {
            if (caller != reviewer) _violate(GATE, "batch dismissal by a non-reviewer");
            if (dismissed != (expected ? 1 : 0)) _violate(GATE, "batch dismissal count differs from the model");
            if (expected) {
                _enrol[p][h].status = EnrolmentStatus.Enrolled;
                ++successes["dismiss"];
            }
        } catch {
            if (caller == reviewer) _violate(LIVENESS, "batch dismissal refused");
        }
    }

    /// @notice Records an exit on the signatures of the first k current officials (k = the project's
    /// threshold), or, one call in four, of k - 1 of them plus a removed or never-appointed one (refused).
    /// Steered to a target only one call in two: exits end enrolments, and a run needs enrolled households to
    /// reach claims. Checks that no tranche that had unlocked before the exit was settled by it.
    function recordExit(uint256 pSeed, uint256 hSeed, uint256 oSeed) external step {
        (uint256 p, uint256 h) = oSeed % 2 == 0 ? _pick(pSeed, hSeed, _exitTarget) : (pSeed % PROJECTS, hSeed % HOUSEHOLDS);
        (address[] memory signers, bool signersValid) = _exitSigners(p, oSeed % 4 == 3);
        EnrolModel storage e = _enrol[p][h];
        bool expected = signersValid && !pausedModel() && _isLive(p) && e.status == EnrolmentStatus.Enrolled
            && block.timestamp >= e.windowEndsAt;
        uint256 deadline = block.timestamp + 1 days;
        bytes32 reason = keccak256("left poverty");
        bytes32 digest = _typedDigest(
            address(escrow),
            "PrecisionAid AidEscrow",
            keccak256(
                abi.encode(escrow.EXIT_TYPEHASH(), _config[p].id, commitments[h], reason, e.enrolledAt, deadline)
            )
        );
        bytes[] memory signatures = _signAll(signers, digest);
        uint16 unlockedBefore = _unlockedMask(p) & ~e.settled;
        vm.prank(outsider);
        try escrow.recordExit(_config[p].id, commitments[h], reason, deadline, signers, signatures) {
            if (!expected) _violate(GATE, "exit recorded against the rules");
            if (!signersValid) _violate(SINGLE_ACTOR, "exit recorded without k current officials");
            if (escrow.enrolment(_config[p].id, commitments[h]).settledMask & unlockedBefore != 0) {
                _violate(EXIT_LOSS, "an exit settled a tranche that had unlocked before it");
            }
            _releaseLocked(p, h);
            e.status = EnrolmentStatus.Exited;
            _ghost[p].exited += 1;
            ++successes["exit"];
        } catch {
            if (expected) _violate(LIVENESS, "exit refused");
        }
    }

    /// @dev The first k appointed officials of the pool, or (`spoil`) one who is not appointed and the first
    /// k - 1 who are; ascending either way, as the contract requires.
    function _exitSigners(uint256 p, bool spoil) internal view returns (address[] memory signers, bool valid) {
        uint256 k = _config[p].threshold;
        address[] memory picks = new address[](k);
        uint256 n;
        bool spoiled;
        if (spoil) {
            for (uint256 o; o < POOL; ++o) {
                if (!_active(o)) {
                    picks[n++] = officialPool[o];
                    spoiled = true;
                    break;
                }
            }
        }
        for (uint256 o; o < POOL && n < k; ++o) {
            if (_active(o)) picks[n++] = officialPool[o];
        }
        signers = new address[](n);
        for (uint256 i; i < n; ++i) {
            address a = picks[i];
            uint256 j = i;
            for (; j > 0 && signers[j - 1] > a; --j) {
                signers[j] = signers[j - 1];
            }
            signers[j] = a;
        }
        valid = n == k && !spoiled;
    }

    // ================================================================ actions: money out

    /// @notice Claims with a fresh proof: k officials per condition holding valid attestations by the
    /// model when there are such, else the first k officials of the pool whatever their standing.
    function claim(uint256 pSeed, uint256 hSeed, uint256 trancheSeed) external step {
        _claim(pSeed, hSeed, trancheSeed, 1);
    }

    /// @notice Claims relying on the cached proof (no attesters), or with the first k officials of the
    /// pool (`naive`), which must be refused whenever the cache is stale and they are not all valid.
    function claimWithoutFreshProof(uint256 pSeed, uint256 hSeed, uint256 trancheSeed, bool naive) external step {
        _claim(pSeed, hSeed, trancheSeed, naive ? 2 : 0);
    }

    function _claim(uint256 pSeed, uint256 hSeed, uint256 trancheSeed, uint256 mode) internal {
        (uint256 p, uint256 h) = _pick(pSeed, hSeed, _claimTarget);
        uint8 tranche = _pickTranche(p, h, trancheSeed);
        Payment memory pay = _observePayment(p, h, tranche);
        address[] memory list;
        {
            (bool eligible, address[] memory fresh) = _modelAttesters(p, h, trancheSeed);
            pay.eligibleByModel = eligible;
            pay.verifyAccepted = eligible && _verifies(p, h, fresh);
            if (eligible && !pay.verifyAccepted) {
                _violate(ELIGIBILITY, "verifyConditions rejects a valid k-of-n list");
            }
            if (mode % 3 == 0) list = new address[](0);
            else list = mode % 3 == 1 && eligible ? fresh : _naiveAttesters(p);
        }
        bool rulesHold = _claimRulesHold(p, h, tranche);
        Snap memory before = _snap(p, pay.recipient);
        vm.prank(pay.recipient);
        try escrow.claim(_config[p].id, commitments[h], tranche, list) {
            _afterClaim(pay, before, rulesHold);
        } catch {
            // With a fresh valid proof and every rule holding, the claim must go through.
            if (rulesHold && pay.eligibleByModel && mode % 3 == 1) {
                _violate(LIVENESS, "claim refused with a valid fresh proof");
            }
        }
    }

    function _afterClaim(Payment memory pay, Snap memory before, bool rulesHold) internal {
        uint256 p = pay.project;
        Snap memory afterwards = _snap(p, pay.recipient);
        pay.amount = afterwards.mine - before.mine;
        if (!rulesHold) _violate(GATE, "claim paid against the window/unlock/deadline/status/pause rules");
        if (!pay.eligibleByModel) _violate(ELIGIBILITY, "claim paid without k distinct current officials per condition");
        if (pay.amount != _config[p].amount || before.held - afterwards.held != pay.amount) {
            _violate(PAYEE, "claim moved another amount than one tranche to the household");
        }
        if (afterwards.others != before.others) _violate(PAYEE, "claim changed the balance of another known actor");
        _payments.push(pay);
        _ghost[p].claimed += pay.amount;
        _ghost[p].held -= pay.amount;
        _enrol[p][pay.household].settled |= uint16(1 << pay.tranche);
        ++successes["claim"];
    }

    function refund(uint256 pSeed, uint256 dSeed) external step {
        (uint256 p, uint256 d) = _pickDonor(pSeed, dSeed);
        address donor = donorList[d];
        bool expected;
        uint256 predicted;
        {
            Ghost storage g = _ghost[p];
            ProjectStatus s = _modelStatus(p);
            bool open = s == ProjectStatus.Cancelled || s == ProjectStatus.Closed;
            expected = open && deposit[p][d] != 0 && !hasRefunded[p][d];
            // Rounded down for every donor, in any order (docs/DECISIONS.md, refund rounding).
            predicted = g.raised == 0 ? 0 : deposit[p][d] * (g.raised - g.claimed) / g.raised;
        }
        Snap memory before = _snap(p, donor);
        vm.prank(donor);
        try escrow.refund(_config[p].id) {
            Snap memory afterwards = _snap(p, donor);
            uint256 got = afterwards.mine - before.mine;
            if (!expected) _violate(GATE, "refund paid against the rules");
            if (got != predicted) _violate(REFUND_SHARE, "refund differs from the pro-rata share");
            if (before.held - afterwards.held != got) _violate(PAYEE, "refund: escrow sent more than the donor got");
            if (afterwards.others != before.others) {
                _violate(PAYEE, "refund changed the balance of another known actor");
            }
            Ghost storage g = _ghost[p];
            g.refunded += got;
            g.held -= got;
            g.refundedDonors += 1;
            refundedTo[p][d] = got;
            hasRefunded[p][d] = true;
            ++successes["refund"];
        } catch {
            if (expected) _violate(LIVENESS, "refund refused while refunds are open");
        }
    }

    // ================================================================ actions: registry

    /// @notice One entry point for the registry's side (so the escrow flow gets most of a run's calls):
    /// kind 0 revokes (by the attester or a reviewer), kind 1 re-attests with a fuzzed expiry (which may
    /// shorten it), kind 2 appoints or removes an official.
    function registryAction(uint256 kind, uint256 hSeed, uint256 cSeed, uint256 oSeed, uint256 extra) external step {
        kind %= 3;
        if (kind == 0) _revoke(hSeed, cSeed, oSeed, extra % 2 == 0);
        else if (kind == 1) _reattest(hSeed, cSeed, oSeed, extra);
        else _churnOfficial(oSeed);
    }

    function _revoke(uint256 hSeed, uint256 cSeed, uint256 oSeed, bool byReviewer) internal {
        uint256 h = hSeed % HOUSEHOLDS;
        uint256 c = cSeed % CONDITIONS;
        uint256 o = oSeed % POOL;
        (uint40 attExpiry, bool attRevoked) = regModel.att(h, c, o);
        // A reviewer may still bar an attestation its attester already withdrew, once.
        bool expected = attExpiry != 0 && (!attRevoked || (byReviewer && !regModel.barred(h, c, o)));
        vm.prank(byReviewer ? reviewer : officialPool[o]);
        try registry.revoke(commitments[h], conditionIds[c], officialPool[o], keccak256("exit")) {
            if (!expected) _violate(GATE, "revoke succeeded on a missing, revoked or barred attestation");
            regModel.setAttestation(h, c, o, attExpiry, true);
            if (byReviewer) regModel.setBarred(h, c, o);
            ++successes["revoke"];
        } catch {
            if (expected) _violate(LIVENESS, "revoke refused");
        }
    }

    function _reattest(uint256 hSeed, uint256 cSeed, uint256 oSeed, uint256 expirySeed) internal {
        uint256 h = hSeed % HOUSEHOLDS;
        uint256 c = cSeed % CONDITIONS;
        uint256 o = oSeed % POOL;
        uint40 expiry = uint40(block.timestamp + bound(expirySeed, 1 hours, 40 days));
        // A reviewer's revocation bars the attester from re-attesting that condition.
        bool expected = _active(o) && !regModel.barred(h, c, o);
        vm.prank(officialPool[o]);
        try registry.attest(commitments[h], conditionIds[c], expiry, keccak256("evidence"), 60) {
            if (!expected) _violate(GATE, "attestation by a non-official or a barred attester");
            regModel.setAttestation(h, c, o, expiry, false);
            ++successes["attest"];
        } catch {
            if (expected) _violate(LIVENESS, "attestation refused");
        }
    }

    /// @notice Appoints the official if not appointed; removes them otherwise, but only one call in
    /// three, so a run does not lose its quorum in the first few steps (admin).
    function _churnOfficial(uint256 oSeed) internal {
        uint256 o = oSeed % POOL;
        bool wasActive = _active(o);
        if (wasActive && (oSeed >> 8) % 3 != 0) return;
        vm.prank(admin);
        if (wasActive) {
            try registry.removeOfficial(officialPool[o]) {
                regModel.setActive(o, false);
                ++successes["removeOfficial"];
            } catch {
                _violate(LIVENESS, "removeOfficial refused");
            }
        } else {
            try registry.addOfficial(officialPool[o], _profile(o)) {
                regModel.setActive(o, true);
                ++successes["addOfficial"];
            } catch {
                _violate(LIVENESS, "addOfficial refused");
            }
        }
    }

    // ================================================================ actions: time and administration

    /// @notice Moves time forward by 1 hour to 8 days (a quarter of the steps are short, under a day,
    /// so claims inside publicity windows happen too).
    function warp(uint256 secondsSeed) external step {
        uint256 dt = secondsSeed % 4 == 0 ? bound(secondsSeed >> 2, 1 hours, 1 days) : bound(secondsSeed, 1 days, 8 days);
        vm.warp(block.timestamp + dt);
        ++successes["warp"];
    }

    /// @notice Unpauses if a pause is in force; pauses one call in six otherwise (guardian), so most of a run
    /// is unpaused while pause windows still occur. A pause ends by itself after MAX_PAUSE, and the next may
    /// start only as long after the last ended as it lasted: the model says which is which.
    function _togglePause(uint256 seed) internal {
        _foldPause();
        PauseModel storage m = _pauseModel;
        bool inForce = m.pausedAt != 0;
        if (!inForce && seed % 6 != 0) return;
        vm.prank(guardian);
        if (inForce) {
            try escrow.unpause() {
                uint40 length = uint40(block.timestamp) - m.pausedAt;
                m.total += length;
                m.lastEnd = uint40(block.timestamp);
                m.lastLength = length;
                m.pausedAt = 0;
                ++successes["unpause"];
            } catch {
                _violate(LIVENESS, "unpause refused");
            }
        } else {
            bool expected = m.lastEnd == 0 || block.timestamp >= uint256(m.lastEnd) + m.lastLength;
            try escrow.pause() {
                if (!expected) _violate(GATE, "a pause started before the cooldown ended");
                m.pausedAt = uint40(block.timestamp);
                ++successes["pause"];
            } catch {
                if (expected) _violate(LIVENESS, "pause refused");
            }
        }
    }

    /// @notice One entry point for administration: kind 0 pauses or unpauses (guardian), kind 1 approves
    /// cancellation as the manager, a reviewer or (refused) an outsider, kind 2 withdraws a half-approval.
    function adminAction(uint256 kind, uint256 pSeed, uint256 who) external step {
        kind %= 3;
        if (kind == 0) _togglePause(who);
        else if (kind == 1) _approveCancellation(pSeed, who);
        else _withdrawCancellation(pSeed, who);
    }

    function _approveCancellation(uint256 pSeed, uint256 who) internal {
        uint256 p = pSeed % PROJECTS;
        Ghost storage g = _ghost[p];
        uint256 role = who % 3; // 0 manager, 1 reviewer, 2 outsider
        address caller = role == 0 ? manager : role == 1 ? reviewer : outsider;
        bool halfInForce = g.halfBy != address(0) && block.timestamp < uint256(g.halfAt) + CANCELLATION_LIFETIME;
        bool expected = role != 2 && _isLive(p) && !(halfInForce && g.halfBy == caller);
        vm.prank(caller);
        try escrow.approveCancellation(_config[p].id) {
            if (!expected) _violate(GATE, "cancellation approval accepted against the rules");
            if (halfInForce) {
                // The other half, from another account (one account per role in this run).
                if (g.halfBy == caller) _violate(SINGLE_ACTOR, "one account gave both halves of a cancellation");
                g.cancelled = true;
                g.cancelledAt = uint40(block.timestamp);
                g.halfBy = address(0);
                ++successes["cancel"];
            } else {
                g.halfBy = caller;
                g.halfAt = uint40(block.timestamp);
                ++successes["halfApproval"];
            }
        } catch {
            if (expected) _violate(LIVENESS, "cancellation approval refused");
        }
    }

    function _withdrawCancellation(uint256 pSeed, uint256 who) internal {
        uint256 p = pSeed % PROJECTS;
        Ghost storage g = _ghost[p];
        address caller = who % 2 == 0 ? manager : reviewer;
        bool expected = g.halfBy == caller && block.timestamp < uint256(g.halfAt) + CANCELLATION_LIFETIME;
        vm.prank(caller);
        try escrow.withdrawCancellation(_config[p].id) {
            if (!expected) _violate(GATE, "withdrew a half-approval that was not in force");
            g.halfBy = address(0);
            ++successes["withdrawCancellation"];
        } catch {
            if (expected) _violate(LIVENESS, "withdrawal of a half-approval refused");
        }
    }

    /// @dev A pause that lapsed by itself counts as ended.
    function _foldPause() internal {
        PauseModel storage m = _pauseModel;
        if (m.pausedAt != 0 && block.timestamp >= uint256(m.pausedAt) + MAX_PAUSE) {
            m.total += MAX_PAUSE;
            m.lastEnd = m.pausedAt + MAX_PAUSE;
            m.lastLength = MAX_PAUSE;
            m.pausedAt = 0;
        }
    }

    /// @notice Whether the model has a pause in force now.
    function pausedModel() public view returns (bool) {
        PauseModel storage m = _pauseModel;
        return m.pausedAt != 0 && block.timestamp < uint256(m.pausedAt) + MAX_PAUSE;
    }

    /// @notice Every second paused so far, by the model: what claim deadlines moved by (every project was
    /// created before the first pause, so each one's base is zero).
    function pausedSecondsModel() public view returns (uint40) {
        PauseModel storage m = _pauseModel;
        if (m.pausedAt == 0) return m.total;
        uint256 until = block.timestamp < uint256(m.pausedAt) + MAX_PAUSE ? block.timestamp : uint256(m.pausedAt) + MAX_PAUSE;
        return m.total + uint40(until - m.pausedAt);
    }

    // ================================================================ views for the invariant test

    function config(uint256 p) external view returns (Config memory) {
        return _config[p];
    }

    function unlocks(uint256 p) external view returns (uint40[] memory) {
        return _unlocks[p];
    }

    function ghost(uint256 p) external view returns (Ghost memory) {
        return _ghost[p];
    }

    function enrolModel(uint256 p, uint256 h) external view returns (EnrolModel memory) {
        return _enrol[p][h];
    }

    function paymentCount() external view returns (uint256) {
        return _payments.length;
    }

    function payment(uint256 i) external view returns (Payment memory) {
        return _payments[i];
    }

    function official(uint256 o) external view returns (address) {
        return officialPool[o];
    }

    function contracts() external view returns (address, address, address) {
        return (address(registry), address(escrow), address(stable));
    }

    /// @notice The status the rules give the project now, from the handler's own terms and flags.
    function modelStatus(uint256 p) external view returns (ProjectStatus) {
        return _modelStatus(p);
    }

    /// @notice Whether `who` is an account the handler bound to a household or a donor it funded.
    function isHouseholdAccount(address who) public view returns (bool) {
        for (uint256 h; h < HOUSEHOLDS; ++h) {
            if (householdAccounts[h] == who) return true;
        }
        return false;
    }

    // ================================================================ target selection
    // Seven calls in eight steer the fuzzed seeds to a target where the action can succeed (so deep
    // states are reached within a 50-call run); the eighth uses the raw pick, which is usually refused.
    // Either way the outcome is judged against the model, never assumed.

    function _smart(uint256 a, uint256 b) internal pure returns (bool) {
        return uint256(keccak256(abi.encode(a, b))) % 8 != 0;
    }

    function _pick(uint256 pSeed, uint256 hSeed, function(uint256, uint256) internal view returns (bool) target)
        internal
        view
        returns (uint256 p, uint256 h)
    {
        p = pSeed % PROJECTS;
        h = hSeed % HOUSEHOLDS;
        if (!_smart(pSeed, hSeed)) return (p, h);
        uint256 start = p * HOUSEHOLDS + h;
        for (uint256 i; i < PROJECTS * HOUSEHOLDS; ++i) {
            uint256 k = (start + i) % (PROJECTS * HOUSEHOLDS);
            if (target(k / HOUSEHOLDS, k % HOUSEHOLDS)) return (k / HOUSEHOLDS, k % HOUSEHOLDS);
        }
    }

    function _pickProject(uint256 pSeed, bool isToken) internal view returns (uint256) {
        if (!_smart(pSeed, isToken ? 1 : 0)) return pSeed % PROJECTS;
        for (uint256 i; i < PROJECTS; ++i) {
            uint256 p = (pSeed % PROJECTS + i) % PROJECTS;
            if (_config[p].isToken == isToken && _modelStatus(p) == ProjectStatus.Funding) return p;
        }
        return pSeed % PROJECTS;
    }

    function _pickOfficial(uint256 oSeed) internal view returns (uint256) {
        if (!_smart(oSeed, 2)) return oSeed % POOL;
        for (uint256 i; i < POOL; ++i) {
            uint256 o = (oSeed % POOL + i) % POOL;
            if (_active(o)) return o;
        }
        return oSeed % POOL;
    }

    function _pickTranche(uint256 p, uint256 h, uint256 seed) internal view returns (uint8) {
        uint256 n = _config[p].trancheCount;
        if (seed % 4 == 0) return uint8((seed >> 2) % (n + 1)); // often locked, sometimes out of range
        for (uint256 i; i < n; ++i) {
            uint256 t = (seed % n + i) % n;
            if (_unlocks[p][t] <= block.timestamp && _enrol[p][h].settled & (1 << t) == 0) return uint8(t);
        }
        return uint8(seed % n);
    }

    function _pickDonor(uint256 pSeed, uint256 dSeed) internal view returns (uint256 p, uint256 d) {
        p = pSeed % PROJECTS;
        d = dSeed % DONORS;
        if (!_smart(pSeed, dSeed)) return (p, d);
        uint256 start = p * DONORS + d;
        for (uint256 i; i < PROJECTS * DONORS; ++i) {
            uint256 k = (start + i) % (PROJECTS * DONORS);
            (uint256 pp, uint256 dd) = (k / DONORS, k % DONORS);
            ProjectStatus s = _modelStatus(pp);
            if ((s == ProjectStatus.Cancelled || s == ProjectStatus.Closed) && deposit[pp][dd] != 0 && !hasRefunded[pp][dd]) {
                return (pp, dd);
            }
        }
    }

    function _enrolTarget(uint256 p, uint256 h) internal view returns (bool) {
        EnrolmentStatus s = _enrol[p][h].status;
        if (!_isLive(p) || (s != EnrolmentStatus.None && s != EnrolmentStatus.Exited)) return false;
        (bool eligible,) = _modelAttesters(p, h, 0);
        (, , uint256 amount) = _enrolExpectation(p, h, 0, eligible);
        Ghost storage g = _ghost[p];
        return eligible && amount != 0 && amount <= g.raised - g.committed && _enrolledCount(p) < _config[p].maxBeneficiaries;
    }

    function _objectTarget(uint256 p, uint256 h) internal view returns (bool) {
        return _enrol[p][h].status == EnrolmentStatus.Enrolled && block.timestamp < _enrol[p][h].windowEndsAt;
    }

    function _objectedTarget(uint256 p, uint256 h) internal view returns (bool) {
        return _enrol[p][h].status == EnrolmentStatus.Objected;
    }

    function _exitTarget(uint256 p, uint256 h) internal view returns (bool) {
        return _isLive(p) && _enrol[p][h].status == EnrolmentStatus.Enrolled;
    }

    function _claimTarget(uint256 p, uint256 h) internal view returns (bool) {
        // The publicity window is deliberately not required here, so claims inside it are attempted
        // often and the window rule is really exercised.
        EnrolModel storage e = _enrol[p][h];
        if (e.status != EnrolmentStatus.Enrolled && e.status != EnrolmentStatus.Exited) return false;
        if (block.timestamp >= _effectiveClaimDeadline(p)) return false;
        for (uint256 t; t < _config[p].trancheCount; ++t) {
            if (_unlocks[p][t] <= block.timestamp && e.settled & (1 << t) == 0) return true;
        }
        return false;
    }

    // ================================================================ model helpers

    function _modelStatus(uint256 p) internal view returns (ProjectStatus) {
        Ghost storage g = _ghost[p];
        if (g.cancelled) return ProjectStatus.Cancelled;
        if (block.timestamp >= _effectiveClaimDeadline(p)) return ProjectStatus.Closed;
        if (block.timestamp < _config[p].fundingDeadline) return ProjectStatus.Funding;
        return ProjectStatus.Active;
    }

    function _isLive(uint256 p) internal view returns (bool) {
        ProjectStatus s = _modelStatus(p);
        return s == ProjectStatus.Funding || s == ProjectStatus.Active;
    }

    /// @dev The claim deadline as agreed, moved later by every second paused; the cancellation time once cancelled.
    function _effectiveClaimDeadline(uint256 p) internal view returns (uint40) {
        return _ghost[p].cancelled ? _ghost[p].cancelledAt : _config[p].claimDeadline + pausedSecondsModel();
    }

    /// @notice The claim deadline the rules give project `p` now.
    function effectiveClaimDeadline(uint256 p) external view returns (uint40) {
        return _effectiveClaimDeadline(p);
    }

    function _recordDonation(uint256 p, uint256 d, uint256 amount, bool expected, bytes32 action) internal {
        if (!expected) _violate(GATE, "donation accepted outside funding, into the wrong token or while paused");
        Ghost storage g = _ghost[p];
        if (deposit[p][d] == 0) g.donorCount += 1;
        deposit[p][d] += amount;
        g.raised += amount;
        g.held += amount;
        ++successes[action];
    }

    function _enrolExpectation(uint256 p, uint256 h, uint256 o, bool listValid)
        internal
        view
        returns (bool expected, uint16 settled, uint256 amount)
    {
        Config storage cfg = _config[p];
        EnrolmentStatus prior = _enrol[p][h].status;
        uint256 open = cfg.trancheCount;
        if (prior == EnrolmentStatus.Exited) {
            // Re-entry: tranches still locked are owed anew; what the exit left owed stays owed.
            uint16 locked = ~_unlockedMask(p) & uint16((1 << cfg.trancheCount) - 1);
            settled = _enrol[p][h].settled & ~locked;
            open = _popcount(locked);
        }
        amount = open * cfg.amount;
        Ghost storage g = _ghost[p];
        expected = !pausedModel() && _active(o) && _isLive(p)
            && (prior == EnrolmentStatus.None || prior == EnrolmentStatus.Exited) && _enrolledCount(p) < cfg.maxBeneficiaries
            && listValid && open > 0 && amount <= g.raised - g.committed
            && block.timestamp + cfg.window < _effectiveClaimDeadline(p);
    }

    function _claimRulesHold(uint256 p, uint256 h, uint8 tranche) internal view returns (bool) {
        EnrolModel storage e = _enrol[p][h];
        return !pausedModel() && block.timestamp < _effectiveClaimDeadline(p) && tranche < _config[p].trancheCount
            && block.timestamp >= _unlocks[p][tranche]
            && (e.status == EnrolmentStatus.Enrolled || e.status == EnrolmentStatus.Exited)
            && block.timestamp >= e.windowEndsAt && e.settled & (1 << tranche) == 0;
    }

    function _observePayment(uint256 p, uint256 h, uint8 tranche) internal view returns (Payment memory pay) {
        pay.project = p;
        pay.household = h;
        pay.tranche = tranche;
        pay.time = block.timestamp;
        pay.windowEndsAt = _enrol[p][h].windowEndsAt;
        pay.unlockTime = tranche < _config[p].trancheCount ? _unlocks[p][tranche] : type(uint40).max;
        pay.claimDeadline = _effectiveClaimDeadline(p);
        pay.recipient = householdAccounts[h];
    }

    function _release(uint256 p, uint256 h) internal {
        Config storage cfg = _config[p];
        EnrolModel storage e = _enrol[p][h];
        _ghost[p].committed -= (cfg.trancheCount - _popcount(e.settled)) * cfg.amount;
        e.settled = uint16((1 << cfg.trancheCount) - 1);
    }

    /// @dev An exit releases only the tranches not yet unlocked.
    function _releaseLocked(uint256 p, uint256 h) internal {
        Config storage cfg = _config[p];
        EnrolModel storage e = _enrol[p][h];
        uint16 releasing = ~_unlockedMask(p) & uint16((1 << cfg.trancheCount) - 1) & ~e.settled;
        _ghost[p].committed -= _popcount(releasing) * cfg.amount;
        e.settled |= releasing;
    }

    /// @dev The tranches of project `p` unlocked now.
    function _unlockedMask(uint256 p) internal view returns (uint16 mask) {
        for (uint256 t; t < _config[p].trancheCount; ++t) {
            if (_unlocks[p][t] <= block.timestamp) mask |= uint16(1 << t);
        }
    }

    function _enrolledCount(uint256 p) internal view returns (uint256 n) {
        for (uint256 h; h < HOUSEHOLDS; ++h) {
            EnrolmentStatus s = _enrol[p][h].status;
            if (s == EnrolmentStatus.Enrolled || s == EnrolmentStatus.Objected) ++n;
        }
    }

    function _active(uint256 o) internal view returns (bool) {
        return regModel.active(o);
    }

    function _modelAttesters(uint256 p, uint256 h, uint256 seed) internal view returns (bool, address[] memory) {
        return regModel.attesters(_config[p].conditionMask, _config[p].threshold, h, seed);
    }

    function _naiveAttesters(uint256 p) internal view returns (address[] memory) {
        return regModel.naive(_config[p].conditionMask, _config[p].threshold);
    }

    function _listValid(uint256 p, uint256 h, address[] memory list) internal view returns (bool) {
        return regModel.listValid(_config[p].conditionMask, _config[p].threshold, h, list);
    }

    function _verifies(uint256 p, uint256 h, address[] memory list) internal view returns (bool) {
        try registry.verifyConditions(commitments[h], _conditionsOf(p), _config[p].threshold, list) {
            return true;
        } catch {
            return false;
        }
    }

    function _conditionsOf(uint256 p) internal view returns (bytes32[] memory conditions) {
        conditions = new bytes32[](_conditionCount(p));
        uint256 slot;
        for (uint256 c; c < CONDITIONS; ++c) {
            if (_config[p].conditionMask & (1 << c) != 0) conditions[slot++] = conditionIds[c];
        }
    }

    function _conditionCount(uint256 p) internal view returns (uint256) {
        uint8 m = _config[p].conditionMask;
        return (m & 1) + ((m >> 1) & 1);
    }

    /// @dev Balance of `who`, the summed balance of every other known actor, and the escrow's balance,
    /// in the project's asset.
    function _snap(uint256 p, address who) internal view returns (Snap memory s) {
        bool isToken = _config[p].isToken;
        s.mine = _balanceOf(isToken, who);
        s.held = _balanceOf(isToken, address(escrow));
        for (uint256 d; d < DONORS; ++d) {
            if (donorList[d] != who) s.others += _balanceOf(isToken, donorList[d]);
        }
        for (uint256 h; h < HOUSEHOLDS; ++h) {
            if (householdAccounts[h] != who) s.others += _balanceOf(isToken, householdAccounts[h]);
        }
        for (uint256 o; o < POOL; ++o) {
            s.others += _balanceOf(isToken, officialPool[o]);
        }
        s.others += _balanceOf(isToken, outsider) + _balanceOf(isToken, manager) + _balanceOf(isToken, reviewer)
            + _balanceOf(isToken, guardian) + _balanceOf(isToken, admin) + _balanceOf(isToken, address(this));
    }

    function _balanceOf(bool isToken, address who) internal view returns (uint256) {
        return isToken ? stable.balanceOf(who) : who.balance;
    }

    function _observeStatuses() internal {
        for (uint256 p; p < PROJECTS; ++p) {
            uint8 s = uint8(escrow.projectStatus(_config[p].id));
            if (s < _ghost[p].maxStatusSeen) _violate(STATUS, "project status moved backwards");
            if (s != uint8(_modelStatus(p))) _violate(STATUS, "project status differs from the rules");
            if (s > _ghost[p].maxStatusSeen) _ghost[p].maxStatusSeen = s;
        }
    }

    function _violate(bytes32 category, string memory message) internal {
        if (violations[category]++ == 0) firstViolation[category] = message;
    }

    function _popcount(uint16 x) internal pure returns (uint256 n) {
        for (; x != 0; x &= x - 1) ++n;
    }

    // ================================================================ set-up helpers

    function _setUpHousehold(uint256 h) internal {
        bytes32 commitment = keccak256(abi.encode("household", h));
        address account = makeAddr(string.concat("household-", _digit(h)));
        commitments.push(commitment);
        householdAccounts.push(account);
        _bind(commitment, account);
        for (uint256 c; c < CONDITIONS; ++c) {
            for (uint256 o; o < 4; ++o) {
                // A few gaps, and expiries spread over 4..33 days so some lapse during a run.
                if ((h + o + c) % 5 == 4) continue;
                uint40 expiry = uint40(block.timestamp + (4 + (h * 7 + o * 3 + c * 5) % 30) * DAY);
                vm.prank(officialPool[o]);
                registry.attest(commitment, conditionIds[c], expiry, keccak256(abi.encode(h, c, o)), 50);
                regModel.setAttestation(h, c, o, expiry, false);
            }
        }
    }

    function _addProject(
        uint256 p,
        bool isToken,
        uint8 threshold,
        uint8 conditionMask,
        uint88 amount,
        uint40[] memory unlockDays,
        uint256 t0,
        uint256 fundingDays,
        uint256 claimDays,
        uint256 windowHours,
        uint32 maxBeneficiaries
    ) internal {
        ProjectTerms memory t = _terms(isToken ? address(stable) : address(0), amount, uint8(unlockDays.length));
        t.threshold = threshold;
        t.conditions = new bytes32[]((conditionMask & 1) + ((conditionMask >> 1) & 1));
        uint256 slot;
        for (uint256 c; c < CONDITIONS; ++c) {
            if (conditionMask & (1 << c) != 0) t.conditions[slot++] = conditionIds[c];
        }
        for (uint256 i; i < unlockDays.length; ++i) {
            t.trancheUnlockTimes[i] = uint40(t0 + unlockDays[i] * DAY);
        }
        t.fundingDeadline = uint40(t0 + fundingDays * DAY);
        t.claimDeadline = uint40(t0 + claimDays * DAY);
        t.publicityWindow = uint32(windowHours * 1 hours);
        t.maxBeneficiaries = maxBeneficiaries;
        uint256 id = _createProject(t);
        _config[p] = Config({
            id: id,
            isToken: isToken,
            threshold: threshold,
            amount: amount,
            fundingDeadline: t.fundingDeadline,
            claimDeadline: t.claimDeadline,
            window: t.publicityWindow,
            maxBeneficiaries: maxBeneficiaries,
            trancheCount: uint8(unlockDays.length),
            conditionMask: conditionMask
        });
        _unlocks[p] = t.trancheUnlockTimes;
    }

    function _days1(uint40 a) internal pure returns (uint40[] memory d) {
        d = new uint40[](1);
        d[0] = a;
    }

    function _days3(uint40 a, uint40 b, uint40 c) internal pure returns (uint40[] memory d) {
        d = new uint40[](3);
        (d[0], d[1], d[2]) = (a, b, c);
    }

    function _days4(uint40 a, uint40 b, uint40 c, uint40 e) internal pure returns (uint40[] memory d) {
        d = new uint40[](4);
        (d[0], d[1], d[2], d[3]) = (a, b, c, e);
    }

    function _days6(uint40 a, uint40 b, uint40 c, uint40 e, uint40 f, uint40 g) internal pure returns (uint40[] memory d) {
        d = new uint40[](6);
        (d[0], d[1], d[2], d[3], d[4], d[5]) = (a, b, c, e, f, g);
    }
}
