// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IAidRosterProgramme} from "./interfaces/IAidRosterProgramme.sol";
import {IAidRegistry} from "./interfaces/IAidRegistry.sol";
import {IAidPausable} from "./interfaces/IAidPausable.sol";
import {ProjectStatus, CancellationHalf} from "./interfaces/AidTypes.sol";
import {
    RosterProgrammeTerms,
    RosterGate,
    RosterInfo,
    RosterLedger,
    RosterObjectionStatus,
    SignedRosterClaim,
    LeafChangeRequest,
    LeafRecord
} from "./interfaces/AidRosterTypes.sol";
import {AidMoney} from "./libraries/AidMoney.sol";
import {AidBatch} from "./libraries/AidBatch.sol";
import {AidSignatures} from "./libraries/AidSignatures.sol";
import {AidPausable} from "./libraries/AidPausable.sol";
import {AidClaimNonces} from "./libraries/AidClaimNonces.sol";
import {AidCancellation} from "./libraries/AidCancellation.sol";
import {AidRosterGovernance} from "./libraries/AidRosterGovernance.sol";
import {RosterState, RosterContext, RosterRules} from "./libraries/AidRosterState.sol";

/// @title AidRosterProgramme
/// @notice One county-scale roster programme. See IAidRosterProgramme for the behaviour and
/// docs/DECISIONS-roster.md for the design.
/// @dev Created by AidRosterFactory from its blueprint (AidRosterBlueprint), which validated the terms. Not upgradeable and
/// without an owner: the only outflows are AidMoney.pay from the claim paths (to the proven leaf's own account,
/// or through AidRosterGovernance to its approved successor) and from `refund` (to the donor). Gas: a claim
/// reads one slot of programme state (the gate stored under the root the proof computes) and one claimed-flags
/// word; the terms are immutables; held = own balance, so no claimed total is written on the hot path (it is
/// rebuilt from Claimed events). Objections, cancellation and leaf changes run in the linked library
/// AidRosterGovernance on this contract's storage (contracts/libraries/AidRosterState.sol).
contract AidRosterProgramme is IAidRosterProgramme, EIP712, AidPausable, AidClaimNonces, ReentrancyGuardTransient {
    /// @inheritdoc IAidRosterProgramme
    uint256 public constant MAX_TRANCHES = 12;
    /// @inheritdoc IAidRosterProgramme
    uint8 public constant MAX_THRESHOLD = 16;
    /// @inheritdoc IAidRosterProgramme
    uint256 public constant CLAIM_GAS_CAP = 500_000;
    /// @inheritdoc IAidRosterProgramme
    uint40 public constant LEAF_CHANGE_MIN_DELAY = AidRosterGovernance.LEAF_CHANGE_MIN_DELAY;
    /// @inheritdoc IAidRosterProgramme
    bytes32 public constant ROSTER_TYPEHASH = AidRosterGovernance.ROSTER_TYPEHASH;
    /// @inheritdoc IAidRosterProgramme
    bytes32 public constant ROOT_APPROVAL_TYPEHASH = keccak256(
        "RootApproval(Roster roster,uint256 deadline)Roster(bytes32 root,uint32 version,uint32 leafCount,uint256 rosterTotal,bytes32 contentHash)"
    );
    /// @inheritdoc IAidRosterProgramme
    bytes32 public constant CLAIM_TYPEHASH = keccak256(
        "RosterClaim(uint256 index,uint256 tranche,address account,uint256 amount,uint256 nonce,uint256 deadline)"
    );
    /// @inheritdoc IAidRosterProgramme
    bytes32 public constant LEAF_CHANGE_TYPEHASH = AidRosterGovernance.LEAF_CHANGE_TYPEHASH;

    /// @dev What a batch keeps in hand before each entry (see AidEscrow).
    uint256 private constant _BATCH_ENTRY_RESERVE = CLAIM_GAS_CAP + CLAIM_GAS_CAP / 63 + 20_000;

    // ---------------------------------------------------------------- immutables (the terms)

    IAidRegistry private immutable _registry;
    address private immutable _factory;
    address private immutable _manager;
    address private immutable _token; // address(0) for ETH
    uint256 private immutable _unlocksLow; // tranches 0..5
    uint256 private immutable _unlocksHigh; // tranches 6..11
    uint256 private immutable _trancheCount;
    uint40 private immutable _fundingDeadline;
    uint40 private immutable _claimDeadline;
    uint32 private immutable _publicityWindow;
    uint8 private immutable _threshold;

    // ---------------------------------------------------------------- storage

    RosterState private _st;

    modifier onlyRegistryRole(bytes32 role) {
        if (!_registry.hasRole(role, msg.sender)) revert AidRosterUnauthorized(msg.sender, role);
        _;
    }

    /// @param registry_ the registry of roles and officials
    /// @param manager_ the programme's manager (checked by the factory, its creator)
    /// @param t the terms (validated by the factory)
    constructor(IAidRegistry registry_, address manager_, RosterProgrammeTerms memory t)
        EIP712("PrecisionAid AidRosterProgramme", "1")
    {
        _registry = registry_;
        _factory = msg.sender;
        _manager = manager_;
        _token = t.token;
        // Read only by the terms() view: storage, not immutables, keeps the deployer's copy of this code small.
        _st.category = t.category;
        _st.region = t.region;
        _st.metadataURI = t.metadataURI;
        _fundingDeadline = t.fundingDeadline;
        _claimDeadline = t.claimDeadline;
        _publicityWindow = t.publicityWindow;
        _threshold = t.threshold;
        uint256 n = t.trancheUnlockTimes.length;
        _trancheCount = n;
        uint256 low;
        uint256 high;
        for (uint256 i; i < n; ++i) {
            uint256 packed = uint256(t.trancheUnlockTimes[i]) << ((i % RosterRules.UNLOCKS_PER_WORD) * 40);
            if (i < RosterRules.UNLOCKS_PER_WORD) low |= packed;
            else high |= packed;
        }
        _unlocksLow = low;
        _unlocksHigh = high;
    }

    // ---------------------------------------------------------------- donations

    /// @inheritdoc IAidRosterProgramme
    function donate() external payable {
        if (_token != address(0)) revert AidRosterWrongToken(address(0));
        _checkDonation(msg.value);
        _recordDonation(msg.value);
    }

    /// @inheritdoc IAidRosterProgramme
    function donateToken(uint256 amount) external nonReentrant {
        _donateToken(amount);
    }

    /// @inheritdoc IAidRosterProgramme
    function donateWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
    {
        AidRosterGovernance.donateWithPermit(_st, _context(), amount, deadline, v, r, s);
    }

    // ---------------------------------------------------------------- roster

    /// @inheritdoc IAidRosterProgramme
    function publishRoster(bytes32 root, uint32 leafCount, uint256 rosterTotal, string calldata uri, bytes32 contentHash)
        external
    {
        AidRosterGovernance.publishRoster(_st, _context(), root, leafCount, rosterTotal, uri, contentHash);
    }

    /// @inheritdoc IAidRosterProgramme
    /// @dev Open to anyone: the k signatures are the authority, so the manager, an official or a relayer
    /// may pay the gas. Each signature is checked once; ascending signers prove distinctness in one pass.
    function approveRoot(address[] calldata officials, bytes[] calldata signatures, uint256 deadline) external {
        bytes32 root = _st.root;
        RosterGate memory g = _openCurrentGate();
        _requireLive(g.cancelledAt);
        uint32 version = g.version;
        if (version == 0) revert AidRosterNoRoster(address(this));
        if (g.claimsOpenAt != 0) revert AidRosterRootAlreadyApproved(version);
        AidSignatures.requireLive(deadline);
        // Bound to this programme (the domain's verifyingContract), the root, its version and what the officials
        // checked in the file (the Roster struct hash): a new publication needs new signatures.
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(ROOT_APPROVAL_TYPEHASH, _st.rosterHash, deadline)));
        AidSignatures.requireOfficials(_registry, digest, _threshold, officials, signatures);
        uint40 claimsOpenAt = _now() + _publicityWindow;
        // The window must end before the claim deadline (moved later by pauses, read only when it matters).
        if (claimsOpenAt >= _claimDeadline) {
            uint40 closes = _claimDeadlineNow();
            if (claimsOpenAt >= closes) revert AidRosterWindowPastDeadline(claimsOpenAt, closes);
        }
        _st.gates[root].claimsOpenAt = claimsOpenAt;
        emit RootApproved(version, root, officials, claimsOpenAt);
    }

    /// @inheritdoc IAidRosterProgramme
    function object(uint256 index, bytes32 reasonHash) external {
        AidRosterGovernance.object(_st, _trancheCount, index, reasonHash);
    }

    /// @inheritdoc IAidRosterProgramme
    function ruleOnObjection(uint256 index, bool upheld, address account, uint256 amount, bytes32[] calldata proof)
        external
    {
        AidRosterGovernance.ruleOnObjection(_st, _context(), index, upheld, account, amount, proof);
    }

    /// @inheritdoc IAidRosterProgramme
    function dismissObjections(uint256[] calldata indexes) external returns (uint256) {
        return AidRosterGovernance.dismissObjections(_st, _context(), indexes);
    }

    // ---------------------------------------------------------------- leaf changes

    /// @inheritdoc IAidRosterProgramme
    function requestLeafChange(LeafChangeRequest calldata request, address[] calldata officials, bytes[] calldata signatures)
        external
    {
        AidRosterGovernance.requestLeafChange(_st, _context(), request, officials, signatures);
    }

    /// @inheritdoc IAidRosterProgramme
    function objectToLeafChange(uint256 index, bytes32 reasonHash) external {
        AidRosterGovernance.objectToLeafChange(_st, index, reasonHash);
    }

    /// @inheritdoc IAidRosterProgramme
    function ruleOnLeafChange(uint256 index, bool upheld) external {
        AidRosterGovernance.ruleOnLeafChange(_st, _context(), index, upheld);
    }

    // ---------------------------------------------------------------- claims

    /// @inheritdoc IAidRosterProgramme
    function claim(uint256 index, uint256 tranche, uint256 amount, bytes32[] calldata proof) external nonReentrant {
        (RosterGate memory g, bytes32 computed) = _openGate(index, msg.sender, amount, proof);
        if (g.version == 0) {
            _claimFromRecord(index, tranche, msg.sender, amount, false, computed);
            return;
        }
        _checkTranche(tranche);
        (uint256 key, uint256 word, uint256 bit) = _flag(g, index, tranche);
        if (word & bit != 0) {
            _claimFromRecord(index, tranche, msg.sender, amount, true, computed);
            return;
        }
        _claimTo(key, word | bit, msg.sender, index, tranche, amount);
    }

    /// @inheritdoc IAidRosterProgramme
    function claimBySig(SignedRosterClaim calldata request) external nonReentrant {
        (RosterGate memory g, bytes32 computed) = _openGate(request.index, request.account, request.amount, request.proof);
        if (g.version == 0) {
            _checkClaimSignature(request);
            _claimFromRecord(request.index, request.tranche, request.account, request.amount, false, computed);
            return;
        }
        _checkTranche(request.tranche);
        (uint256 key, uint256 word, uint256 bit) = _flag(g, request.index, request.tranche);
        _checkClaimSignature(request);
        // A replayed signature lands here: its leaf-tranche is already paid.
        if (word & bit != 0) {
            _claimFromRecord(request.index, request.tranche, request.account, request.amount, true, computed);
            return;
        }
        _claimTo(key, word | bit, request.account, request.index, request.tranche, request.amount);
    }

    /// @inheritdoc IAidRosterProgramme
    /// @dev Not payable. Each entry runs as its own call to claimBySig with at most CLAIM_GAS_CAP gas, so
    /// whatever an entry does (a moved nonce, a wallet that refuses the money, a gas bomb in a contract
    /// wallet) reverts that entry alone. Bounded by the caller's calldata, not by storage.
    function claimBatch(SignedRosterClaim[] calldata requests) external returns (uint256 paid) {
        _openCurrentGate();
        for (uint256 i; i < requests.length; ++i) {
            if (gasleft() < _BATCH_ENTRY_RESERVE) revert AidRosterBatchOutOfGas(i, gasleft());
            SignedRosterClaim calldata request = requests[i];
            uint256 tuple;
            assembly ("memory-safe") {
                tuple := request
            }
            // The entry's encoding ends after its proof (head word 6) or its signature (head word 7).
            uint256 end = Math.max(AidBatch.dynamicEnd(tuple, 6, false), AidBatch.dynamicEnd(tuple, 7, true));
            (bool ok, bytes memory reason) =
                AidBatch.callSelf(this.claimBySig.selector, tuple, end, true, CLAIM_GAS_CAP);
            if (ok) ++paid;
            else emit ClaimSkipped(request.index, request.tranche, reason);
        }
    }

    // ---------------------------------------------------------------- cancellation and refunds

    /// @inheritdoc IAidRosterProgramme
    function approveCancellation() external {
        AidRosterGovernance.approveCancellation(_st, _context());
    }

    /// @inheritdoc IAidRosterProgramme
    function withdrawCancellation() external {
        AidRosterGovernance.withdrawCancellation(_st);
    }

    /// @inheritdoc IAidRosterProgramme
    /// @dev Deliberately not paused: a pause must never trap donors (docs/THREATS.md).
    function refund() external nonReentrant {
        AidRosterGovernance.refund(_st, _context());
    }

    // ---------------------------------------------------------------- administration

    /// @inheritdoc IAidPausable
    function pause() external onlyRegistryRole(RosterRules.GUARDIAN_ROLE) {
        AidRosterGovernance.pause(_st, _pauseClock);
    }

    /// @inheritdoc IAidPausable
    function unpause() external onlyRegistryRole(RosterRules.GUARDIAN_ROLE) {
        AidRosterGovernance.unpause(_st, _pauseClock);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IAidRosterProgramme
    function registry() external view returns (IAidRegistry) {
        return _registry;
    }

    /// @inheritdoc IAidRosterProgramme
    function factory() external view returns (address) {
        return _factory;
    }

    /// @inheritdoc IAidRosterProgramme
    function manager() external view returns (address) {
        return _manager;
    }

    /// @inheritdoc IAidRosterProgramme
    function terms() external view returns (RosterProgrammeTerms memory) {
        return AidRosterGovernance.terms(_st, _context(), _claimDeadline);
    }

    /// @inheritdoc IAidRosterProgramme
    function claimDeadline() external view returns (uint40) {
        return _claimDeadlineNow();
    }

    /// @inheritdoc IAidRosterProgramme
    function status() external view returns (ProjectStatus) {
        return _statusOf(_st.gates[_st.root].cancelledAt);
    }

    /// @inheritdoc IAidRosterProgramme
    function roster() external view returns (RosterInfo memory) {
        RosterGate memory g = _st.gates[_st.root];
        return RosterInfo({
            root: _st.root,
            version: g.version,
            leafCount: g.leafCount,
            rosterTotal: _st.rosterTotal,
            uri: _st.rosterURI,
            contentHash: _st.contentHash,
            claimsOpenAt: g.claimsOpenAt
        });
    }

    /// @inheritdoc IAidRosterProgramme
    function gate(bytes32 root) external view returns (RosterGate memory) {
        return _st.gates[root];
    }

    /// @inheritdoc IAidRosterProgramme
    function ledger() external view returns (RosterLedger memory) {
        return RosterLedger({
            raised: _st.raised,
            refunded: _st.refunded,
            held: AidMoney.held(_token),
            rosterTotal: _st.rosterTotal,
            refundPool: _st.refundPool,
            donors: _st.donorCount,
            refundedDonors: _st.refundedDonors
        });
    }

    /// @inheritdoc IAidRosterProgramme
    function cancellationApproval() external view returns (CancellationHalf memory) {
        return AidCancellation.current(_st.cancellation);
    }

    /// @inheritdoc IAidRosterProgramme
    function contributionOf(address donor) external view returns (uint256) {
        return _st.contributions[donor];
    }

    /// @inheritdoc IAidRosterProgramme
    function refundableOf(address donor) external view returns (uint256) {
        return AidRosterGovernance.refundableOf(_st, _context(), donor);
    }

    /// @inheritdoc IAidRosterProgramme
    function isSettled(uint256 index, uint256 tranche) external view returns (bool) {
        RosterGate memory g = _st.gates[_st.root];
        if (g.version == 0 || index >= g.leafCount || tranche >= _trancheCount) return false;
        (, uint256 word, uint256 bit) = _flag(g, index, tranche);
        return word & bit != 0;
    }

    /// @inheritdoc IAidRosterProgramme
    function objectionStatus(uint32 version, uint256 index) external view returns (RosterObjectionStatus) {
        return _st.objections[RosterRules.objectionKey(version, index)].status;
    }

    /// @inheritdoc IAidRosterProgramme
    function leafRecord(uint256 index) external view returns (LeafRecord memory) {
        return _st.leaves[RosterRules.objectionKey(_st.gates[_st.root].version, index)];
    }

    /// @inheritdoc IAidRosterProgramme
    function leafHash(uint256 index, address account, uint256 amount) external pure returns (bytes32) {
        return RosterRules.leaf(index, account, amount);
    }

    // ---------------------------------------------------------------- internal: claims

    /// @dev Proves the leaf and returns the gate of the root it proves, after every programme-level check.
    /// The gate is looked up under the computed root: a bad proof, another programme's proof or a replaced
    /// root all find the zero gate, which the caller hands to the leaf records (a changed leaf's successor
    /// claims without the leaf's proof). One cold slot read; every term it is compared with is an immutable.
    function _openGate(uint256 index, address account, uint256 amount, bytes32[] calldata proof)
        private
        view
        returns (RosterGate memory g, bytes32 computed)
    {
        computed = RosterRules.processProof(proof, RosterRules.leaf(index, account, amount));
        g = _st.gates[computed];
        if (g.version == 0) return (g, computed);
        uint40 nowTime = _now();
        if (g.pausedAt != 0 && nowTime < g.pausedAt + MAX_PAUSE) revert AidPauseActive(g.pausedAt, g.pausedAt + MAX_PAUSE);
        if (g.claimsOpenAt == 0) revert AidRosterRootNotApproved(g.version);
        if (nowTime < g.claimsOpenAt) revert AidRosterPublicityWindowOpen(g.claimsOpenAt);
        if (g.cancelledAt != 0) revert AidRosterClaimsClosed(g.cancelledAt);
        // Past the deadline as agreed, the time paused since may still keep claims open.
        if (nowTime >= _claimDeadline) {
            uint40 closes = _claimDeadlineNow();
            if (nowTime >= closes) revert AidRosterClaimsClosed(closes);
        }
        // The leaf count was signed by the officials: a leaf beyond it was never open to objection.
        if (index >= g.leafCount) revert AidRosterIndexOutOfRange(index, g.leafCount);
    }

    /// @dev Refuses a tranche that does not exist or has not unlocked (unlock times are immutables).
    function _checkTranche(uint256 tranche) private view {
        if (tranche >= _trancheCount) revert AidRosterUnknownTranche(tranche, _trancheCount);
        uint40 unlockTime = _unlockTime(tranche);
        if (_now() < unlockTime) revert AidRosterTrancheLocked(tranche, unlockTime);
    }

    /// @dev The flags word of (version, index, tranche), its storage key and the tranche's bit.
    function _flag(RosterGate memory g, uint256 index, uint256 tranche)
        private
        view
        returns (uint256 key, uint256 word, uint256 bit)
    {
        (key, bit) = RosterRules.flagOf(g.version, index * _trancheCount + tranche);
        word = _st.settled[key];
    }

    /// @dev Effects, then the single interaction (checks-effects-interactions).
    function _claimTo(uint256 key, uint256 newWord, address account, uint256 index, uint256 tranche, uint256 amount)
        private
    {
        _st.settled[key] = newWord;
        emit Claimed(account, index, tranche, amount);
        AidMoney.pay(_token, account, amount);
    }

    /// @dev When the ordinary path cannot pay: a changed leaf's record pays its payee, or says precisely why not.
    function _claimFromRecord(
        uint256 index,
        uint256 tranche,
        address account,
        uint256 amount,
        bool proven,
        bytes32 computed
    ) private {
        AidRosterGovernance.claimFromRecord(_st, _context(), index, tranche, account, amount, proven, computed);
    }

    /// @dev Checks a relayed claim's deadline, nonce and signature. Replay is impossible without the
    /// nonce (the leaf-tranche flag is set by the first use); the nonce lets an account void signatures
    /// it handed out, and is only read, so a claim pays no nonce write.
    function _checkClaimSignature(SignedRosterClaim calldata request) private view {
        AidSignatures.requireLive(request.deadline);
        address account = request.account;
        _requireClaimNonce(account, request.nonce);
        bytes32 digest = _hashTypedDataV4(
            keccak256(
                abi.encode(
                    CLAIM_TYPEHASH, request.index, request.tranche, account, request.amount, request.nonce, request.deadline
                )
            )
        );
        AidSignatures.requireValid(account, digest, request.signature);
    }

    // ---------------------------------------------------------------- internal: money and state

    function _donateToken(uint256 amount) private {
        if (_token == address(0)) revert AidRosterWrongToken(_token);
        // Reject before pulling money so a refused donation costs the donor nothing.
        _checkDonation(amount);
        AidMoney.pull(_token, msg.sender, amount);
        _recordDonation(amount);
    }

    function _checkDonation(uint256 amount) private view {
        if (amount == 0) revert AidRosterZeroAmount(msg.sender);
        // Late money would be locked in a finished programme.
        ProjectStatus s = _statusOf(_openCurrentGate().cancelledAt);
        if (s != ProjectStatus.Funding) revert AidRosterNotFunding(s);
    }

    function _recordDonation(uint256 amount) private {
        uint256 previous = _st.contributions[msg.sender];
        // A refunded donor cannot return: donations close before refunds open.
        if (previous == 0) ++_st.donorCount;
        uint128 raised = SafeCast.toUint128(uint256(_st.raised) + amount);
        _st.raised = raised;
        _st.contributions[msg.sender] = previous + amount;
        emit Donated(msg.sender, amount, raised);
    }

    function _requireLive(uint40 cancelledAt) private view {
        ProjectStatus s = _statusOf(cancelledAt);
        if (s != ProjectStatus.Funding && s != ProjectStatus.Active) revert AidRosterNotLive(s);
    }

    /// @dev The one place the programme derives its status (RosterRules.status's rule); the pause clock is read
    /// only once the agreed claim deadline has passed, the only time it can change the answer.
    function _statusOf(uint40 cancelledAt) private view returns (ProjectStatus) {
        if (cancelledAt != 0) return ProjectStatus.Cancelled;
        uint40 nowTime = _now();
        if (nowTime >= _claimDeadline && nowTime >= _claimDeadlineNow()) return ProjectStatus.Closed;
        if (nowTime < _fundingDeadline) return ProjectStatus.Funding;
        return ProjectStatus.Active;
    }

    /// @dev The current root's gate, refusing while the guardian's pause (mirrored in it) is in force: the gate
    /// is read anyway, so the pause costs no extra slot.
    function _openCurrentGate() private view returns (RosterGate memory g) {
        g = _st.gates[_st.root];
        if (g.pausedAt != 0 && _now() < g.pausedAt + MAX_PAUSE) revert AidPauseActive(g.pausedAt, g.pausedAt + MAX_PAUSE);
    }

    /// @dev The claim deadline now: as agreed, moved later by every second paused (docs/DECISIONS.md, "Pause").
    function _claimDeadlineNow() private view returns (uint40) {
        return _claimDeadline + _pausedNow();
    }

    function _unlockTime(uint256 tranche) private view returns (uint40) {
        return RosterRules.unlockTime(_unlocksLow, _unlocksHigh, tranche);
    }

    /// @dev What AidRosterGovernance needs besides the storage: the terms, roles and the clock now.
    function _context() private view returns (RosterContext memory) {
        return RosterContext({
            registry: _registry,
            manager: _manager,
            token: _token,
            trancheCount: _trancheCount,
            unlocksLow: _unlocksLow,
            unlocksHigh: _unlocksHigh,
            fundingDeadline: _fundingDeadline,
            claimDeadline: _claimDeadlineNow(),
            publicityWindow: _publicityWindow,
            threshold: _threshold,
            domainSeparator: _domainSeparatorV4()
        });
    }

    /// @dev The single place time is read.
    function _now() private view returns (uint40) {
        return uint40(block.timestamp);
    }
}
