// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {RosterTestBase} from "./RosterTestBase.sol";
import {AidRosterProgramme} from "../../../contracts/AidRosterProgramme.sol";
import {
    RosterInfo,
    RosterLedger,
    SignedRosterClaim,
    LeafRecord,
    LeafChangeKind,
    LeafChangeStatus,
    LeafChangeRequest
} from "../../../contracts/interfaces/AidRosterTypes.sol";
import {ProjectStatus} from "../../../contracts/interfaces/AidTypes.sol";

/// @dev The handler lives in this .t.sol file so the invariant runner can identify its ABI.
/// @notice Drives one real ETH roster programme with bounded, role-correct actions and keeps its own
/// books. Two rosters list the same eight accounts at the same indexes with different amounts, so a
/// double claim across a root change would show up as an account paid twice for one tranche. Every
/// action may revert (the contract refusing is fine); the books change only when it succeeds.
contract RosterHandler is RosterTestBase {
    uint256 public constant LEAVES = 8;
    uint256 public constant DONORS = 3;
    uint256 public constant SUCCESSORS = 4;

    AidRosterProgramme public programme;
    address[LEAVES] internal _accounts;
    uint256[LEAVES] internal _accountKeys;
    /// @dev Submits signed claims; it must never receive a wei, whatever it does to a request.
    address public relayer = _label("relayer");
    address[DONORS] internal _donors;
    /// @dev New phones: keyed accounts officials may re-bind a leaf to.
    address[SUCCESSORS] internal _successors;
    uint256[SUCCESSORS] internal _successorKeys;
    bytes32[][2] internal _leaves;
    uint256[LEAVES][2] internal _amounts;
    bytes32[2] public roots;
    uint256[2] public totals;
    uint40[TRANCHES] internal _unlocks;

    // ---- the handler's books
    uint256 public ghostRaised;
    uint256 public ghostClaimed;
    uint256 public ghostRefunded;
    mapping(address donor => uint256) public ghostDonated;
    mapping(address donor => uint256) public ghostRefundedTo;
    mapping(bytes32 leafTranche => uint256) public paidCount;
    uint256 public maxPaidCount;
    uint256 public claimsPaid;
    uint256 public relayedClaimsPaid;
    bool public paidCountMismatch;
    bool public paidBeforeOpen;
    bool public statusWentBack;
    /// @notice A payment went to an account that was neither the leaf's own nor a successor whose re-bind had
    /// taken effect unopposed.
    bool public paidToStranger;
    /// @notice An exit withheld a tranche that had unlocked before it was requested.
    bool public exitWithheldUnlocked;
    uint256 public leafChanges;
    uint256 public successorClaimsPaid;
    /// @dev The model of the guardian's pause clock: seconds paused by ended pauses, and the pause in force.
    uint256 public pausedTotalModel;
    uint256 public pausedAtModel;
    uint256 public pausesSucceeded;
    /// @dev The model of each leaf's successors: the one in force, and a pending re-bind (its time, and
    /// whether an objection holds it).
    mapping(uint256 index => address) public currentSuccessor;
    mapping(uint256 index => address) public pendingSuccessor;
    mapping(uint256 index => uint40) public pendingFrom;
    mapping(uint256 index => bool) public pendingObjected;
    mapping(address successor => uint256) public successorLeaf;
    uint8 internal _lastStatus;
    uint256 internal _lastIndex;
    uint256 internal _lastTranche;

    constructor() {
        _deploy();
        programme = _createProgramme();
        (uint40[] memory unlocks) = programme.terms().trancheUnlockTimes;
        for (uint256 t; t < TRANCHES; ++t) {
            _unlocks[t] = unlocks[t];
        }
        for (uint256 d; d < DONORS; ++d) {
            _donors[d] = _label(string.concat("donor-", string(abi.encodePacked(bytes1(uint8(48 + d))))));
        }
        for (uint256 j; j < SUCCESSORS; ++j) {
            _successorKeys[j] = uint256(keccak256(abi.encodePacked("new-phone-", bytes1(uint8(65 + j)))));
            _successors[j] = vm.addr(_successorKeys[j]);
            successorLeaf[_successors[j]] = type(uint256).max;
        }
        for (uint256 r; r < 2; ++r) {
            _leaves[r] = new bytes32[](LEAVES);
            for (uint256 i; i < LEAVES; ++i) {
                if (r == 0) {
                    // Keyed accounts, so the relayed-claim action can sign for them.
                    _accountKeys[i] = uint256(keccak256(abi.encodePacked("household-", bytes1(uint8(65 + i)))));
                    _accounts[i] = vm.addr(_accountKeys[i]);
                }
                _amounts[r][i] = (r + 1) * 0.1 ether + i * 0.01 ether;
                _leaves[r][i] = _leaf(i, _accounts[i], _amounts[r][i]);
                totals[r] += _amounts[r][i] * TRANCHES;
            }
            roots[r] = _root(_leaves[r]);
        }
        _lastStatus = uint8(programme.status());
    }

    modifier tracked() {
        _;
        uint8 s = uint8(programme.status());
        if (s < _lastStatus) statusWentBack = true;
        _lastStatus = s;
    }

    function donate(uint256 donorSeed, uint256 amount) external tracked {
        address donor = _donors[donorSeed % DONORS];
        amount = bound(amount, 1, 3 ether);
        vm.deal(donor, amount);
        vm.prank(donor);
        try programme.donate{value: amount}() {
            ghostRaised += amount;
            ghostDonated[donor] += amount;
        } catch {}
    }

    function publish(uint256 which) external tracked {
        which %= 2;
        vm.prank(manager);
        try programme.publishRoster(roots[which], uint32(LEAVES), totals[which], "ipfs://roster", bytes32(which + 1)) {}
        catch {}
    }

    function approve() external tracked {
        uint256 deadline = block.timestamp + 1 days;
        bytes32 digest = _approvalDigest(programme, deadline);
        address[] memory signers = new address[](2);
        bytes[] memory signatures = new bytes[](2);
        for (uint256 i; i < 2; ++i) {
            signers[i] = officials[i];
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(officialKeys[i], digest);
            signatures[i] = abi.encodePacked(r, s, v);
        }
        try programme.approveRoot(signers, signatures, deadline) {} catch {}
    }

    function object(uint256 index, uint256 reason) external tracked {
        try programme.object(index % LEAVES, keccak256(abi.encode("objection", reason % 2))) {} catch {}
    }

    function rule(uint256 index, bool upheld, uint256 which) external tracked {
        index %= LEAVES;
        which %= 2;
        bytes32[] memory proof = _proof(_leaves[which], index);
        vm.prank(reviewer);
        try programme.ruleOnObjection(index, upheld, _accounts[index], _amounts[which][index], proof) {} catch {}
    }

    /// @dev Claims with either roster's proof, current or not: a stale proof must never pay.
    function claim(uint256 index, uint256 tranche, uint256 which) external tracked {
        index %= LEAVES;
        tranche %= TRANCHES;
        which %= 2;
        address account = _accounts[index];
        uint256 amount = _amounts[which][index];
        bytes32[] memory proof = _proof(_leaves[which], index);
        uint256 before = account.balance;
        vm.prank(account);
        try programme.claim(index, tranche, amount, proof) {
            _recordPaid(index, tranche, account, amount, before);
        } catch {}
    }

    /// @dev The books of one paid claim, direct or relayed, and the checks every payment must pass.
    function _recordPaid(uint256 index, uint256 tranche, address account, uint256 amount, uint256 before) private {
        ghostClaimed += amount;
        ++claimsPaid;
        (_lastIndex, _lastTranche) = (index, tranche);
        if (account.balance != before + amount) paidBeforeOpen = true; // paid to the wrong place
        RosterInfo memory r = programme.roster();
        if (block.timestamp < r.claimsOpenAt || block.timestamp < _unlocks[tranche]) paidBeforeOpen = true;
        // To the leaf's own account, or to a successor whose re-bind of this very leaf had taken effect.
        if (account != _accounts[index]) {
            _settleModel(index);
            if (currentSuccessor[index] != account) paidToStranger = true;
        }
        _count(keccak256(abi.encode("index", index, tranche)));
        _count(keccak256(abi.encode("account", account, tranche)));
    }

    /// @dev A claim signed by the leaf's account and submitted by the relayer: alone (claimBySig), in a
    /// batch, or in a batch that repeats it (the repeat must be skipped, not paid). With `tamper` the relayer
    /// names itself as the account while keeping the signature: the proof and signature must both fail,
    /// so the relayer can never be paid.
    function claimRelayed(uint256 index, uint256 tranche, uint256 which, uint256 mode, bool tamper) external tracked {
        index %= LEAVES;
        tranche %= TRANCHES;
        which %= 2;
        mode %= 3;
        address account = _accounts[index];
        uint256 amount = _amounts[which][index];
        SignedRosterClaim memory request = SignedRosterClaim({
            index: index,
            tranche: tranche,
            account: account,
            amount: amount,
            nonce: programme.claimNonce(account),
            deadline: block.timestamp + 1 days,
            proof: _proof(_leaves[which], index),
            signature: ""
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_accountKeys[index], _claimDigest(request));
        request.signature = abi.encodePacked(r, s, v);
        if (tamper) request.account = relayer;
        uint256 before = account.balance;
        vm.prank(relayer);
        bool ok;
        if (mode == 0) {
            try programme.claimBySig(request) {
                ok = true;
            } catch {}
        } else {
            SignedRosterClaim[] memory batch = new SignedRosterClaim[](mode);
            for (uint256 i; i < mode; ++i) {
                batch[i] = request;
            }
            try programme.claimBatch(batch) returns (uint256 paid) {
                if (paid > 1) paidCountMismatch = true; // a repeated entry was paid again
                ok = paid == 1;
            } catch {}
        }
        if (!ok) {
            if (account.balance != before) paidBeforeOpen = true; // money moved without a paid claim
            return;
        }
        ++relayedClaimsPaid;
        _recordPaid(index, tranche, account, amount, before);
    }

    /// @dev k = 2 officials change leaf `index` of the current roster: a re-bind to a new phone, an exit or an
    /// exclusion. Checks that an exit withholds nothing that had unlocked.
    function changeLeaf(uint256 index, uint256 kindSeed, uint256 successorSeed, uint256 which) external tracked {
        index %= LEAVES;
        which %= 2;
        LeafChangeKind kind = LeafChangeKind(kindSeed % 3);
        address successor = kind == LeafChangeKind.Rebind ? _successors[successorSeed % SUCCESSORS] : address(0);
        // A new phone serves one household in this run.
        if (successor != address(0) && successorLeaf[successor] != type(uint256).max && successorLeaf[successor] != index) {
            return;
        }
        LeafChangeRequest memory request = LeafChangeRequest({
            index: index,
            account: _accounts[index],
            amount: _amounts[which][index],
            proof: _proof(_leaves[which], index),
            kind: kind,
            newAccount: successor,
            reasonHash: keccak256(abi.encode("case", index)),
            deadline: block.timestamp + 1 days
        });
        (address[] memory signers, bytes[] memory signatures) = _signLeafChange(request);
        _settleModel(index);
        try programme.requestLeafChange(request, signers, signatures) {
            ++leafChanges;
            LeafRecord memory rec = programme.leafRecord(index);
            if (kind == LeafChangeKind.Exit) {
                for (uint256 t; t < TRANCHES; ++t) {
                    if (_unlocks[t] <= block.timestamp && rec.withholding & (1 << t) != 0) exitWithheldUnlocked = true;
                }
            }
            if (kind == LeafChangeKind.Rebind) successorLeaf[successor] = index;
            pendingSuccessor[index] = successor;
            pendingFrom[index] = rec.effectiveAt;
            pendingObjected[index] = false;
        } catch {}
    }

    /// @dev A pending re-bind whose time came with no objection holding it has taken effect.
    function _settleModel(uint256 index) internal {
        if (pendingFrom[index] != 0 && !pendingObjected[index] && block.timestamp >= pendingFrom[index]) {
            if (pendingSuccessor[index] != address(0)) currentSuccessor[index] = pendingSuccessor[index];
            pendingSuccessor[index] = address(0);
            pendingFrom[index] = 0;
        }
    }

    function objectToChange(uint256 index, uint256 reason) external tracked {
        index %= LEAVES;
        try programme.objectToLeafChange(index, keccak256(abi.encode("contest", reason % 2))) {
            pendingObjected[index] = true;
        } catch {}
    }

    function ruleOnChange(uint256 index, bool upheld) external tracked {
        index %= LEAVES;
        vm.prank(reviewer);
        try programme.ruleOnLeafChange(index, upheld) {
            pendingObjected[index] = false;
            if (upheld) {
                // Voided: that phone is never the payee.
                pendingSuccessor[index] = address(0);
                pendingFrom[index] = 0;
            }
        } catch {}
    }

    /// @dev The successor of leaf `index` claims (directly without the leaf's proof, or relayed with its own
    /// signature). Only a successor whose re-bind took effect unopposed may be paid.
    function claimAsSuccessor(uint256 index, uint256 tranche, uint256 successorSeed, bool relayed) external tracked {
        index %= LEAVES;
        tranche %= TRANCHES;
        _settleModel(index);
        uint256 j = successorSeed % SUCCESSORS;
        address successor = _successors[j];
        uint256 amount = _amounts[0][index];
        LeafRecord memory rec = programme.leafRecord(index);
        if (rec.amount != 0) amount = rec.amount;
        uint256 before = successor.balance;
        bool ok;
        if (relayed) {
            SignedRosterClaim memory request = SignedRosterClaim({
                index: index,
                tranche: tranche,
                account: successor,
                amount: amount,
                nonce: programme.claimNonce(successor),
                deadline: block.timestamp + 1 days,
                proof: new bytes32[](0),
                signature: ""
            });
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(_successorKeys[j], _claimDigest(request));
            request.signature = abi.encodePacked(r, s, v);
            vm.prank(relayer);
            try programme.claimBySig(request) {
                ok = true;
            } catch {}
        } else {
            vm.prank(successor);
            try programme.claim(index, tranche, amount, new bytes32[](0)) {
                ok = true;
            } catch {}
        }
        if (!ok) {
            if (successor.balance != before) paidToStranger = true;
            return;
        }
        ++successorClaimsPaid;
        _recordPaid(index, tranche, successor, amount, before);
    }

    function _signLeafChange(LeafChangeRequest memory request)
        private
        view
        returns (address[] memory signers, bytes[] memory signatures)
    {
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", _domain(), _leafChangeHash(request)));
        signers = new address[](2);
        signatures = new bytes[](2);
        for (uint256 i; i < 2; ++i) {
            signers[i] = officials[i];
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(officialKeys[i], digest);
            signatures[i] = abi.encodePacked(r, s, v);
        }
    }

    function _leafChangeHash(LeafChangeRequest memory request) private view returns (bytes32) {
        uint256 nonce = programme.leafRecord(request.index).changes;
        return keccak256(
            abi.encode(
                programme.LEAF_CHANGE_TYPEHASH(),
                programme.roster().version,
                request.index,
                request.kind,
                request.newAccount,
                request.reasonHash,
                nonce,
                request.deadline
            )
        );
    }

    function _domain() private view returns (bytes32) {
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            programme.eip712Domain();
        return keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256(bytes(name)),
                keccak256(bytes(version)),
                chainId,
                verifyingContract
            )
        );
    }

    /// @dev Voids the account's outstanding signatures, so relayed claims meet stale nonces too.
    function invalidateSignatures(uint256 index) external tracked {
        vm.prank(_accounts[index % LEAVES]);
        programme.invalidateClaimSignatures();
    }

    function _claimDigest(SignedRosterClaim memory c) private view returns (bytes32) {
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            programme.eip712Domain();
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256(bytes(name)),
                keccak256(bytes(version)),
                chainId,
                verifyingContract
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(programme.CLAIM_TYPEHASH(), c.index, c.tranche, c.account, c.amount, c.nonce, c.deadline)
        );
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    /// @dev Repeats the last paid claim, with either roster's proof: a targeted double-claim attempt
    /// (random sequences rarely hit the same leaf-tranche twice on their own).
    function reclaim(uint256 which) external {
        if (claimsPaid == 0) return;
        this.claim(_lastIndex, _lastTranche, which);
    }

    function warp(uint256 secondsAhead) external tracked {
        vm.warp(block.timestamp + bound(secondsAhead, 0, 20 days));
    }

    function pause(bool on) external tracked {
        _foldLapsedPause();
        vm.prank(guardian);
        if (on) {
            try programme.pause() {
                pausedAtModel = block.timestamp;
                ++pausesSucceeded;
            } catch {}
        } else {
            try programme.unpause() {
                pausedTotalModel += block.timestamp - pausedAtModel;
                pausedAtModel = 0;
            } catch {}
        }
    }

    /// @notice Every second paused so far, by the model: a pause ends by itself after MAX_PAUSE.
    function pausedSecondsModel() public view returns (uint256) {
        if (pausedAtModel == 0) return pausedTotalModel;
        uint256 lapsesAt = pausedAtModel + 14 days;
        return pausedTotalModel + (block.timestamp < lapsesAt ? block.timestamp : lapsesAt) - pausedAtModel;
    }

    /// @dev A pause that lapsed by itself counts as ended after MAX_PAUSE.
    function _foldLapsedPause() private {
        if (pausedAtModel != 0 && block.timestamp >= pausedAtModel + 14 days) {
            pausedTotalModel += 14 days;
            pausedAtModel = 0;
        }
    }

    function cancel(bool asReviewer) external tracked {
        vm.prank(asReviewer ? reviewer : manager);
        try programme.approveCancellation() {} catch {}
    }

    function refund(uint256 donorSeed) external tracked {
        address donor = _donors[donorSeed % DONORS];
        uint256 before = donor.balance;
        vm.prank(donor);
        try programme.refund() {
            uint256 paid = donor.balance - before;
            ghostRefunded += paid;
            ghostRefundedTo[donor] += paid;
        } catch {}
    }

    function donorAt(uint256 i) external view returns (address) {
        return _donors[i];
    }

    function _count(bytes32 key) private {
        uint256 n = ++paidCount[key];
        if (n > maxPaidCount) maxPaidCount = n;
    }
}

/// @notice Stateful invariants of a roster programme. The fuzzer calls only RosterHandler (donations,
/// two competing rosters, approvals, objections and rulings, claims with current and stale proofs, time,
/// pause, cancellation, refunds); each invariant compares the programme with the handler's books.
contract AidRosterInvariantTest {
    RosterHandler internal handler;
    AidRosterProgramme internal programme;

    error InvariantBroken(string what);

    function setUp() public {
        handler = new RosterHandler();
        programme = handler.programme();
        // Start from a funded programme whose first roster is approved and in its window, so random
        // sequences reach claims, republication races, objections and refunds instead of spending their
        // depth on set-up (the probe test below starts from scratch instead).
        if (_bootstrap) {
            handler.donate(0, 2 ether);
            handler.donate(1, 2 ether);
            handler.publish(0);
            handler.approve();
        }
    }

    bool private _bootstrap = true;

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @notice Conservation: raised = claimed + refunded + held (claimed from the handler's books, held
    /// from the programme's balance), and the programme's raised/refunded match the books.
    function invariant_conservation() public view {
        RosterLedger memory l = programme.ledger();
        _check(l.raised == handler.ghostRaised(), "raised == sum donated");
        _check(l.refunded == handler.ghostRefunded(), "refunded == sum paid back");
        _check(l.held == address(programme).balance, "held == own balance");
        _check(l.raised == handler.ghostClaimed() + l.refunded + l.held, "raised == claimed + refunded + held");
    }

    /// @notice No over-commitment: the roster never promises more than was raised.
    function invariant_noOverCommitment() public view {
        _check(programme.roster().rosterTotal <= programme.ledger().raised, "rosterTotal <= raised");
    }

    /// @notice No claim is paid before the root's publicity window ended or before the tranche unlocked,
    /// and every payment reached the leaf's own account.
    function invariant_noPaymentBeforeWindowOrUnlock() public view {
        _check(!handler.paidBeforeOpen(), "no payment before window end and unlock, always to the leaf");
    }

    /// @notice Each leaf-tranche (by index and by account) is paid at most once across root versions and leaf
    /// changes, to the leaf's own account or to a successor whose re-bind of that leaf took effect unopposed.
    function invariant_eachLeafTranchePaidAtMostOnce() public view {
        _check(handler.maxPaidCount() <= 1, "a leaf-tranche was paid twice");
        _check(!handler.paidToStranger(), "paid to neither the leaf's account nor its approved successor");
    }

    /// @notice No tranche that unlocked while the household was eligible is lost to an exit (an exit never withholds
    /// a tranche that had unlocked before it was requested) or to a pause (until cancelled, the claim deadline sits
    /// exactly the modelled paused time after the agreed one, so a pause never shortens the time claims are open).
    function invariant_noTrancheUnlockedWhileEligibleLostToAnExitOrAPause() public view {
        _check(!handler.exitWithheldUnlocked(), "an exit withheld an unlocked tranche");
        if (programme.status() != ProjectStatus.Cancelled) {
            _check(
                programme.claimDeadline() == programme.terms().claimDeadline + handler.pausedSecondsModel(),
                "claim deadline == agreed + paused"
            );
        }
    }

    /// @notice Relayed claims pay only the leaf's account: the relayer, whatever it changes in a signed
    /// request, never receives a wei, and a batch never pays a repeated entry twice.
    function invariant_relayerCannotRedirectFunds() public view {
        _check(handler.relayer().balance == 0, "the relayer received money");
        _check(!handler.paidCountMismatch(), "a batch paid a repeated entry");
    }

    /// @notice Refunds never exceed deposits, per donor and in total.
    function invariant_refundsWithinDeposits() public view {
        for (uint256 d; d < handler.DONORS(); ++d) {
            address donor = handler.donorAt(d);
            _check(handler.ghostRefundedTo(donor) <= handler.ghostDonated(donor), "donor refunded more than given");
        }
        _check(handler.ghostRefunded() <= handler.ghostRaised(), "refunded <= raised");
    }

    /// @notice The status only moves forward (Funding -> Active -> Cancelled or Closed).
    function invariant_statusOnlyMovesForward() public view {
        _check(!handler.statusWentBack(), "status moved backwards");
    }

    /// @notice The handler can reach every state the invariants are about (claims under a replaced
    /// root's competitor, refunds), so they are not vacuously true.
    function test_handlerReachesClaimsAndRefunds() public {
        // setUp funded the programme (2 x (2 ether + 1 wei)) and approved roster 0.
        handler.warp(20 days);
        handler.claim(0, 0, 0);
        handler.claim(0, 0, 1); // the other roster's proof: refused
        handler.claim(0, 0, 0); // a double claim: refused
        _check(handler.claimsPaid() == 1, "exactly one claim paid");
        handler.claimRelayed(1, 0, 0, 0, true); // the relayer names itself: refused
        handler.claimRelayed(1, 0, 0, 2, false); // a batch repeating one request pays it once
        handler.claimRelayed(1, 0, 0, 0, false); // replay of the same leaf-tranche: refused
        handler.claimRelayed(2, 0, 0, 0, false); // alone, by signature
        _check(handler.relayedClaimsPaid() == 2, "two relayed claims paid");
        _check(handler.claimsPaid() == 3, "three claims paid");
        invariant_relayerCannotRedirectFunds();
        // A lost phone: leaf 3 re-bound to a new phone (its own claim stops at once), then paid to it.
        handler.changeLeaf(3, 0, 0, 0);
        handler.claimAsSuccessor(3, 0, 0, false); // too early: refused
        handler.warp(8 days);
        handler.claimAsSuccessor(3, 0, 0, false); // direct, without the leaf's proof
        handler.claimAsSuccessor(3, 0, 0, true); // again, relayed: refused
        handler.claim(3, 0, 0); // the old phone: refused
        _check(handler.successorClaimsPaid() == 1, "the successor was paid once");
        // An exit of leaf 4 keeps its unlocked tranche 0; a contested exclusion of leaf 5 is voided.
        handler.changeLeaf(4, 1, 0, 0);
        handler.claim(4, 0, 0);
        handler.changeLeaf(5, 2, 0, 0);
        handler.objectToChange(5, 0);
        handler.ruleOnChange(5, true);
        handler.claim(5, 0, 0);
        _check(handler.leafChanges() == 3, "three leaf changes");
        _check(handler.claimsPaid() == 6, "six claims paid");
        invariant_eachLeafTranchePaidAtMostOnce();
        // A three-day pause moves the claim deadline three days later.
        handler.pause(true);
        handler.warp(3 days);
        handler.pause(false);
        _check(handler.pausesSucceeded() == 1 && handler.pausedSecondsModel() == 3 days, "one pause of three days");
        invariant_noTrancheUnlockedWhileEligibleLostToAnExitOrAPause();
        for (uint256 i; i < 6; ++i) {
            handler.warp(20 days);
        }
        handler.refund(0);
        handler.refund(1);
        _check(handler.ghostRefunded() > 0, "refunds reached");
        // Rounding down leaves under one wei per donor behind; nobody got back more than it gave.
        _check(address(programme).balance < 2, "only rounding dust is left");
        invariant_conservation();
    }

    function _check(bool ok, string memory what) private pure {
        if (!ok) revert InvariantBroken(what);
    }
}
