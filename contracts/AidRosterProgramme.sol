// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IAidRosterProgramme} from "./interfaces/IAidRosterProgramme.sol";
import {IAidRegistry} from "./interfaces/IAidRegistry.sol";
import {ProjectStatus} from "./interfaces/AidTypes.sol";
import {
    RosterProgrammeTerms,
    RosterGate,
    RosterInfo,
    RosterLedger,
    RosterObjectionStatus,
    SignedRosterClaim
} from "./interfaces/AidRosterTypes.sol";

/// @title AidRosterProgramme
/// @notice One county-scale roster programme. See IAidRosterProgramme for the behaviour and
/// docs/DECISIONS-roster.md for the design.
/// @dev Deployed by AidRosterFactory, which validated the terms. Not upgradeable and without an owner:
/// the only outflows are `_pay` from `_claimTo` (to the proven leaf's own account) and from `refund`
/// (to the donor). Gas: a claim reads one slot of programme state (the gate stored under the root the
/// proof computes) and one claimed-flags word; the terms are immutables; held = own balance, so no
/// claimed total is written on the hot path (it is rebuilt from Claimed events).
contract AidRosterProgramme is IAidRosterProgramme, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc IAidRosterProgramme
    uint256 public constant MAX_TRANCHES = 12;
    /// @inheritdoc IAidRosterProgramme
    uint8 public constant MAX_THRESHOLD = 16;
    /// @inheritdoc IAidRosterProgramme
    bytes32 public constant ROOT_APPROVAL_TYPEHASH = keccak256(
        "RootApproval(bytes32 root,uint32 version,uint32 leafCount,uint256 rosterTotal,bytes32 contentHash)"
    );
    /// @inheritdoc IAidRosterProgramme
    bytes32 public constant CLAIM_TYPEHASH = keccak256(
        "RosterClaim(uint256 index,uint256 tranche,address account,uint256 amount,uint256 nonce,uint256 deadline)"
    );

    uint8 private constant _MANAGER_APPROVED = 1;
    uint8 private constant _REVIEWER_APPROVED = 2;
    /// @dev Unlock times are packed six to an immutable word (6 x 40 bits).
    uint256 private constant _UNLOCKS_PER_WORD = 6;

    // ---------------------------------------------------------------- immutables (the terms)

    IAidRegistry private immutable _registry;
    address private immutable _factory;
    address private immutable _manager;
    address private immutable _token; // address(0) for ETH
    bytes32 private immutable _category;
    bytes32 private immutable _region;
    bytes32 private immutable _managerRole;
    bytes32 private immutable _reviewerRole;
    bytes32 private immutable _guardianRole;
    uint256 private immutable _unlocksLow; // tranches 0..5
    uint256 private immutable _unlocksHigh; // tranches 6..11
    uint256 private immutable _trancheCount;
    uint40 private immutable _fundingDeadline;
    uint40 private immutable _claimDeadline;
    uint32 private immutable _publicityWindow;
    uint8 private immutable _threshold;

    // ---------------------------------------------------------------- storage

    /// @dev The claim gate of each root; only the current root's is non-zero (see RosterGate). Before the
    /// first publication the gate under bytes32(0) carries the pause and cancellation flags.
    mapping(bytes32 root => RosterGate) private _gates;
    /// @dev Claimed-or-held flags, 256 per word, keyed by (root version << 128 | word index); bit
    /// position = index x trancheCount + tranche. Objections set a leaf's bits to hold it.
    mapping(uint256 versionAndWord => uint256 bits) private _settled;
    mapping(uint256 versionAndIndex => RosterObjectionStatus) private _objections;
    mapping(address donor => uint256 amount) private _contributions;
    mapping(address account => uint256 nonce) private _claimNonces;

    bytes32 private _root;
    bytes32 private _contentHash;
    /// @dev The EIP-712 struct hash of the current roster's RootApproval, computed at publication so an
    /// approval reads one slot instead of four (version, leaf count, total and content hash).
    bytes32 private _approvalStructHash;
    uint128 private _raised;
    uint128 private _rosterTotal;
    uint128 private _refundPool;
    uint128 private _refunded;
    uint32 private _donorCount;
    uint32 private _refundedDonors;
    uint8 private _cancelApprovals;
    string private _rosterURI;
    string private _metadataURI;

    modifier onlyRegistryRole(bytes32 role) {
        if (!_registry.hasRole(role, msg.sender)) revert AidRosterUnauthorized(msg.sender, role);
        _;
    }

    modifier whenNotPaused() {
        if (_gates[_root].paused) revert AidRosterPaused();
        _;
    }

    /// @param registry_ the registry of roles and officials
    /// @param manager_ the programme's manager (checked by the factory)
    /// @param t the terms (validated by the factory)
    constructor(IAidRegistry registry_, address manager_, RosterProgrammeTerms memory t)
        EIP712("PrecisionAid AidRosterProgramme", "1")
    {
        _registry = registry_;
        _factory = msg.sender;
        _manager = manager_;
        _token = t.token;
        _category = t.category;
        _region = t.region;
        _metadataURI = t.metadataURI;
        _fundingDeadline = t.fundingDeadline;
        _claimDeadline = t.claimDeadline;
        _publicityWindow = t.publicityWindow;
        _threshold = t.threshold;
        _managerRole = registry_.MANAGER_ROLE();
        _reviewerRole = registry_.REVIEWER_ROLE();
        _guardianRole = registry_.GUARDIAN_ROLE();
        uint256 n = t.trancheUnlockTimes.length;
        _trancheCount = n;
        uint256 low;
        uint256 high;
        for (uint256 i; i < n; ++i) {
            uint256 packed = uint256(t.trancheUnlockTimes[i]) << ((i % _UNLOCKS_PER_WORD) * 40);
            if (i < _UNLOCKS_PER_WORD) low |= packed;
            else high |= packed;
        }
        _unlocksLow = low;
        _unlocksHigh = high;
    }

    // ---------------------------------------------------------------- donations

    /// @inheritdoc IAidRosterProgramme
    function donate() external payable whenNotPaused {
        if (_token != address(0)) revert AidRosterWrongToken(address(0));
        _checkDonation(msg.value);
        _recordDonation(msg.value);
    }

    /// @inheritdoc IAidRosterProgramme
    function donateToken(uint256 amount) external whenNotPaused nonReentrant {
        if (_token == address(0)) revert AidRosterWrongToken(_token);
        // Reject before pulling money so a refused donation costs the donor nothing.
        _checkDonation(amount);
        // Count what arrived, not what was asked.
        IERC20 token = IERC20(_token);
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != amount) revert AidRosterTransferShortfall(_token, amount, received);
        _recordDonation(amount);
    }

    // ---------------------------------------------------------------- roster

    /// @inheritdoc IAidRosterProgramme
    function publishRoster(bytes32 root, uint32 leafCount, uint256 rosterTotal, string calldata uri, bytes32 contentHash)
        external
        whenNotPaused
    {
        _requireManager();
        _requireLive();
        if (root == bytes32(0) || leafCount == 0) revert AidRosterInvalidRoster(root, leafCount);
        // No over-commitment: the roster may promise at most what was raised (donations only add).
        if (rosterTotal > _raised) revert AidRosterOverCommitment(rosterTotal, _raised);
        bytes32 oldRoot = _root;
        RosterGate memory old = _gates[oldRoot];
        // Once claims could have started under a root it is frozen: no leaf-tranche can then be paid
        // under two versions (docs/DECISIONS-roster.md, "No double claim across a root change").
        if (old.claimsOpenAt != 0 && _now() >= old.claimsOpenAt) {
            revert AidRosterRootFrozen(old.version, old.claimsOpenAt);
        }
        uint32 version = old.version + 1;
        // Voiding the old gate voids every proof, approval and objection of the old root at once.
        delete _gates[oldRoot];
        _gates[root] = RosterGate({version: version, leafCount: leafCount, claimsOpenAt: 0, cancelledAt: 0, paused: false});
        _root = root;
        _rosterTotal = uint128(rosterTotal); // cannot truncate: rosterTotal <= raised < 2**128
        _rosterURI = uri;
        _contentHash = contentHash;
        _approvalStructHash =
            keccak256(abi.encode(ROOT_APPROVAL_TYPEHASH, root, version, leafCount, rosterTotal, contentHash));
        emit RosterPublished(version, root, leafCount, rosterTotal, uri, contentHash);
    }

    /// @inheritdoc IAidRosterProgramme
    /// @dev Open to anyone: the k signatures are the authority, so the manager, an official or a relayer
    /// may pay the gas. Each signature is checked once; ascending signers prove distinctness in one pass.
    function approveRoot(address[] calldata officials, bytes[] calldata signatures) external whenNotPaused {
        _requireLive();
        bytes32 root = _root;
        RosterGate storage g = _gates[root];
        uint32 version = g.version;
        if (version == 0) revert AidRosterNoRoster();
        if (g.claimsOpenAt != 0) revert AidRosterRootAlreadyApproved(version);
        uint256 k = _threshold;
        if (officials.length != k || signatures.length != k) {
            revert AidRosterWrongSignatureCount(k, officials.length, signatures.length);
        }
        // Bound to this programme (the domain's verifyingContract), the root, its version and what the
        // officials checked in the file: a new publication needs new signatures.
        bytes32 digest = _hashTypedDataV4(_approvalStructHash);
        address previous;
        for (uint256 i; i < k; ++i) {
            address signer = officials[i];
            if (signer <= previous) revert AidRosterSignersNotAscending(i, signer);
            previous = signer;
            // Current officials only: a removed official's signature no longer counts.
            if (!_registry.isOfficial(signer)) revert AidRosterNotOfficial(signer);
            // ECDSA for EOAs, ERC-1271 for contract wallets such as a Safe.
            if (!_isValidSignature(signer, digest, signatures[i])) {
                revert AidRosterInvalidApproval(signer);
            }
        }
        uint40 claimsOpenAt = _now() + _publicityWindow;
        if (claimsOpenAt >= _claimDeadline) revert AidRosterWindowPastDeadline(claimsOpenAt, _claimDeadline);
        g.claimsOpenAt = claimsOpenAt;
        emit RootApproved(version, root, officials, claimsOpenAt);
    }

    /// @inheritdoc IAidRosterProgramme
    /// @dev Open to anyone on purpose: the publicity window exists so villagers and auditors can object.
    /// Not paused, like the escrow's objections: a pause must not silence objectors.
    function object(uint256 index, bytes32 reasonHash) external {
        RosterGate memory g = _gates[_root];
        if (g.version == 0) revert AidRosterNoRoster();
        if (g.claimsOpenAt == 0) revert AidRosterRootNotApproved(g.version);
        if (_now() >= g.claimsOpenAt) revert AidRosterPublicityWindowClosed(g.claimsOpenAt);
        if (index >= g.leafCount) revert AidRosterIndexOutOfRange(index, g.leafCount);
        uint256 key = _objectionKey(g.version, index);
        RosterObjectionStatus s = _objections[key];
        if (s != RosterObjectionStatus.None) revert AidRosterAlreadyObjected(index, s);
        _objections[key] = RosterObjectionStatus.Pending;
        // Holding = marking every tranche of the leaf settled, so the claim path needs no extra read.
        // No tranche can have been paid yet: claims start when the window ends.
        _setLeafBits(g.version, index, true);
        emit ObjectionRaised(g.version, index, msg.sender, reasonHash);
    }

    /// @inheritdoc IAidRosterProgramme
    function ruleOnObjection(uint256 index, bool upheld, address account, uint256 amount, bytes32[] calldata proof)
        external
        onlyRegistryRole(_reviewerRole)
    {
        uint32 version = _gates[_root].version;
        uint256 key = _objectionKey(version, index);
        RosterObjectionStatus s = _objections[key];
        if (s != RosterObjectionStatus.Pending) revert AidRosterNoPendingObjection(index, s);
        uint256 released;
        if (upheld) {
            released = _provenLeafTotal(index, account, amount, proof);
            _objections[key] = RosterObjectionStatus.Upheld;
            // The leaf's bits stay set: it is excluded. The officials approved rosterTotal as the sum
            // over leaves, this leaf included; should that attestation be wrong (docs/DECISIONS-roster.md,
            // "Trust assumption"), the total floors at zero so an upheld ruling can never be blocked.
            uint256 total = _rosterTotal;
            if (released > total) released = total;
            _rosterTotal = uint128(total - released);
        } else {
            _objections[key] = RosterObjectionStatus.None;
            _setLeafBits(version, index, false);
        }
        emit ObjectionRuled(version, index, msg.sender, upheld, released);
    }

    // ---------------------------------------------------------------- claims

    /// @inheritdoc IAidRosterProgramme
    function claim(uint256 index, uint256 tranche, uint256 amount, bytes32[] calldata proof) external nonReentrant {
        RosterGate memory g = _openGate(index, msg.sender, amount, proof);
        _checkTranche(tranche);
        (uint256 key, uint256 word, uint256 bit) = _flag(g, index, tranche);
        if (word & bit != 0) _revertSettled(g.version, index, tranche);
        _claimTo(key, word | bit, msg.sender, index, tranche, amount);
    }

    /// @inheritdoc IAidRosterProgramme
    function claimBySig(SignedRosterClaim calldata request) external nonReentrant {
        RosterGate memory g = _openGate(request.index, request.account, request.amount, request.proof);
        _checkTranche(request.tranche);
        (uint256 key, uint256 word, uint256 bit) = _flag(g, request.index, request.tranche);
        // A replayed signature lands here: its leaf-tranche is already paid.
        if (word & bit != 0) _revertSettled(g.version, request.index, request.tranche);
        _checkClaimSignature(request);
        _claimTo(key, word | bit, request.account, request.index, request.tranche, request.amount);
    }

    /// @inheritdoc IAidRosterProgramme
    /// @dev Not payable. Bounded by the caller's calldata, not by storage.
    function claimBatch(SignedRosterClaim[] calldata requests) external nonReentrant returns (uint256 paid) {
        for (uint256 i; i < requests.length; ++i) {
            SignedRosterClaim calldata request = requests[i];
            RosterGate memory g = _openGate(request.index, request.account, request.amount, request.proof);
            _checkTranche(request.tranche);
            (uint256 key, uint256 word, uint256 bit) = _flag(g, request.index, request.tranche);
            if (word & bit != 0) {
                emit ClaimSkipped(request.index, request.tranche);
                continue;
            }
            _checkClaimSignature(request);
            _claimTo(key, word | bit, request.account, request.index, request.tranche, request.amount);
            ++paid;
        }
    }

    /// @inheritdoc IAidRosterProgramme
    function invalidateClaimSignatures() external {
        uint256 next = ++_claimNonces[msg.sender];
        emit ClaimNonceInvalidated(msg.sender, next);
    }

    // ---------------------------------------------------------------- cancellation and refunds

    /// @inheritdoc IAidRosterProgramme
    function approveCancellation() external {
        _requireLive();
        bool asReviewer;
        uint8 flag;
        // The manager always approves as manager, so one person can never supply both halves.
        if (msg.sender == _manager && _registry.hasRole(_managerRole, msg.sender)) {
            flag = _MANAGER_APPROVED;
        } else if (_registry.hasRole(_reviewerRole, msg.sender)) {
            flag = _REVIEWER_APPROVED;
            asReviewer = true;
        } else {
            revert AidRosterUnauthorized(msg.sender, _reviewerRole);
        }
        uint8 approvals = _cancelApprovals;
        if (approvals & flag != 0) revert AidRosterCancellationAlreadyApproved(msg.sender);
        approvals |= flag;
        _cancelApprovals = approvals;
        emit CancellationApproved(msg.sender, asReviewer);
        if (approvals == _MANAGER_APPROVED | _REVIEWER_APPROVED) {
            uint40 nowTime = _now();
            // Closing claims in the gate keeps the claim path to its single slot read.
            _gates[_root].cancelledAt = nowTime;
            emit ProgrammeCancelled(nowTime);
        }
    }

    /// @inheritdoc IAidRosterProgramme
    /// @dev Deliberately not paused: a pause must never trap donors.
    function refund() external nonReentrant {
        ProjectStatus s = _status();
        if (s != ProjectStatus.Cancelled && s != ProjectStatus.Closed) revert AidRosterRefundsNotOpen(s);
        uint256 contribution = _contributions[msg.sender];
        if (contribution == 0) revert AidRosterNothingToRefund(msg.sender);
        uint256 pool = _refundPool;
        // The pool is what is held when the first donor refunds: claims are closed by then, so it can
        // only shrink through refunds. Snapshotting keeps every donor's share equal.
        if (pool == 0) {
            pool = _held();
            _refundPool = SafeCast.toUint128(pool);
        }
        uint256 amount = _shareOf(contribution, pool);
        delete _contributions[msg.sender];
        ++_refundedDonors;
        _refunded += SafeCast.toUint128(amount);
        emit Refunded(msg.sender, amount);
        if (amount != 0) _pay(msg.sender, amount);
    }

    // ---------------------------------------------------------------- administration

    /// @inheritdoc IAidRosterProgramme
    function pause() external onlyRegistryRole(_guardianRole) {
        RosterGate storage g = _gates[_root];
        if (g.paused) revert AidRosterPaused();
        g.paused = true;
        emit ProgrammePaused(msg.sender);
    }

    /// @inheritdoc IAidRosterProgramme
    function unpause() external onlyRegistryRole(_guardianRole) {
        RosterGate storage g = _gates[_root];
        if (!g.paused) revert AidRosterNotPaused();
        g.paused = false;
        emit ProgrammeUnpaused(msg.sender);
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
    function terms() external view returns (RosterProgrammeTerms memory t) {
        t.token = _token;
        t.category = _category;
        t.region = _region;
        t.metadataURI = _metadataURI;
        t.trancheUnlockTimes = new uint40[](_trancheCount);
        for (uint256 i; i < _trancheCount; ++i) {
            t.trancheUnlockTimes[i] = _unlockTime(i);
        }
        t.fundingDeadline = _fundingDeadline;
        t.claimDeadline = _claimDeadline;
        t.publicityWindow = _publicityWindow;
        t.threshold = _threshold;
    }

    /// @inheritdoc IAidRosterProgramme
    function status() external view returns (ProjectStatus) {
        return _status();
    }

    /// @inheritdoc IAidRosterProgramme
    function paused() external view returns (bool) {
        return _gates[_root].paused;
    }

    /// @inheritdoc IAidRosterProgramme
    function roster() external view returns (RosterInfo memory) {
        RosterGate memory g = _gates[_root];
        return RosterInfo({
            root: _root,
            version: g.version,
            leafCount: g.leafCount,
            rosterTotal: _rosterTotal,
            uri: _rosterURI,
            contentHash: _contentHash,
            claimsOpenAt: g.claimsOpenAt
        });
    }

    /// @inheritdoc IAidRosterProgramme
    function gate(bytes32 root) external view returns (RosterGate memory) {
        return _gates[root];
    }

    /// @inheritdoc IAidRosterProgramme
    function ledger() external view returns (RosterLedger memory) {
        return RosterLedger({
            raised: _raised,
            refunded: _refunded,
            held: _held(),
            rosterTotal: _rosterTotal,
            refundPool: _refundPool,
            donors: _donorCount,
            refundedDonors: _refundedDonors
        });
    }

    /// @inheritdoc IAidRosterProgramme
    function contributionOf(address donor) external view returns (uint256) {
        return _contributions[donor];
    }

    /// @inheritdoc IAidRosterProgramme
    function refundableOf(address donor) external view returns (uint256) {
        ProjectStatus s = _status();
        uint256 contribution = _contributions[donor];
        if ((s != ProjectStatus.Cancelled && s != ProjectStatus.Closed) || contribution == 0) return 0;
        return _shareOf(contribution, _refundPool == 0 ? _held() : _refundPool);
    }

    /// @inheritdoc IAidRosterProgramme
    function isSettled(uint256 index, uint256 tranche) external view returns (bool) {
        RosterGate memory g = _gates[_root];
        if (g.version == 0 || index >= g.leafCount || tranche >= _trancheCount) return false;
        (, uint256 word, uint256 bit) = _flag(g, index, tranche);
        return word & bit != 0;
    }

    /// @inheritdoc IAidRosterProgramme
    function objectionStatus(uint32 version, uint256 index) external view returns (RosterObjectionStatus) {
        return _objections[_objectionKey(version, index)];
    }

    /// @inheritdoc IAidRosterProgramme
    function claimNonce(address account) external view returns (uint256) {
        return _claimNonces[account];
    }

    /// @inheritdoc IAidRosterProgramme
    function leafHash(uint256 index, address account, uint256 amount) external pure returns (bytes32) {
        return _leaf(index, account, amount);
    }

    // ---------------------------------------------------------------- internal: claims

    /// @dev Proves the leaf and returns the gate of the root it proves, after every programme-level check.
    /// The gate is looked up under the computed root: a bad proof, another programme's proof or a replaced
    /// root all find the zero gate. One cold slot read; every term it is compared with is an immutable.
    function _openGate(uint256 index, address account, uint256 amount, bytes32[] calldata proof)
        private
        view
        returns (RosterGate memory g)
    {
        bytes32 computed = _processProof(proof, _leaf(index, account, amount));
        g = _gates[computed];
        if (g.version == 0) revert AidRosterInvalidProof(index, account, computed);
        if (g.paused) revert AidRosterPaused();
        uint40 nowTime = _now();
        if (g.claimsOpenAt == 0) revert AidRosterRootNotApproved(g.version);
        if (nowTime < g.claimsOpenAt) revert AidRosterPublicityWindowOpen(g.claimsOpenAt);
        if (g.cancelledAt != 0) revert AidRosterClaimsClosed(g.cancelledAt);
        if (nowTime >= _claimDeadline) revert AidRosterClaimsClosed(_claimDeadline);
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
    /// index < leafCount < 2**32 and tranche < MAX_TRANCHES, so the position cannot overflow.
    function _flag(RosterGate memory g, uint256 index, uint256 tranche)
        private
        view
        returns (uint256 key, uint256 word, uint256 bit)
    {
        uint256 position = index * _trancheCount + tranche;
        key = (uint256(g.version) << 128) | (position >> 8);
        word = _settled[key];
        bit = 1 << (position & 0xff);
    }

    /// @dev Effects, then the single interaction (checks-effects-interactions).
    function _claimTo(uint256 key, uint256 newWord, address account, uint256 index, uint256 tranche, uint256 amount)
        private
    {
        _settled[key] = newWord;
        emit Claimed(account, index, tranche, amount);
        _pay(account, amount);
    }

    /// @dev Checks a relayed claim's deadline, nonce and signature. Replay is impossible without the
    /// nonce (the leaf-tranche flag is set by the first use); the nonce lets an account void signatures
    /// it handed out, and is only read, so a claim pays no nonce write.
    function _checkClaimSignature(SignedRosterClaim calldata request) private view {
        if (block.timestamp >= request.deadline) revert AidRosterSignatureExpired(request.deadline);
        address account = request.account;
        uint256 expected = _claimNonces[account];
        if (request.nonce != expected) revert AidRosterWrongNonce(account, expected, request.nonce);
        bytes32 digest = _hashTypedDataV4(
            keccak256(
                abi.encode(
                    CLAIM_TYPEHASH, request.index, request.tranche, account, request.amount, request.nonce, request.deadline
                )
            )
        );
        if (!_isValidSignature(account, digest, request.signature)) {
            revert AidRosterInvalidSignature(account);
        }
    }

    /// @dev ECDSA first, then ERC-1271 through OpenZeppelin's SignatureChecker. The
    /// order differs from SignatureChecker.isValidSignatureNowCalldata, which reads the signer's code
    /// size first: that is a cold account access (2,600 gas) per signer even for plain EOAs. A signature
    /// that recovers to the signer's own address can only come from the holder of its key, so accepting
    /// it first is as strict; everything else gets the ERC-1271 check (a Safe official or beneficiary).
    function _isValidSignature(address signer, bytes32 digest, bytes calldata signature) private view returns (bool) {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == signer) return true;
        return SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, signature);
    }

    /// @dev Says why a settled flag is set: paid, held by a pending objection, or excluded.
    function _revertSettled(uint32 version, uint256 index, uint256 tranche) private view {
        RosterObjectionStatus s = _objections[_objectionKey(version, index)];
        if (s == RosterObjectionStatus.Pending) revert AidRosterLeafHeld(index);
        if (s == RosterObjectionStatus.Upheld) revert AidRosterLeafExcluded(index);
        revert AidRosterAlreadyClaimed(index, tranche);
    }

    /// @dev What a leaf of the current root is owed over all tranches, after proving the leaf: an upheld
    /// objection releases exactly the leaf's own amount.
    function _provenLeafTotal(uint256 index, address account, uint256 amount, bytes32[] calldata proof)
        private
        view
        returns (uint256)
    {
        bytes32 computed = _processProof(proof, _leaf(index, account, amount));
        if (computed != _root) revert AidRosterInvalidProof(index, account, computed);
        // A proven leaf's amount x tranches cannot overflow for any real token; Math.saturatingMul keeps
        // even an absurd leaf from blocking the ruling.
        return Math.saturatingMul(amount, _trancheCount);
    }

    /// @dev Sets or clears every tranche flag of a leaf (at most MAX_TRANCHES iterations).
    function _setLeafBits(uint32 version, uint256 index, bool set) private {
        uint256 first = index * _trancheCount;
        for (uint256 position = first; position < first + _trancheCount; ++position) {
            uint256 key = (uint256(version) << 128) | (position >> 8);
            uint256 bit = 1 << (position & 0xff);
            _settled[key] = set ? _settled[key] | bit : _settled[key] & ~bit;
        }
    }

    /// @dev The StandardMerkleTree leaf: keccak256(bytes.concat(keccak256(abi.encode(index, account,
    /// amount)))). Hashing twice keeps a 64-byte internal node from passing as a leaf.
    /// Written in assembly to hash from scratch memory without allocating.
    function _leaf(uint256 index, address account, uint256 amount) private pure returns (bytes32 leaf) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, index)
            mstore(add(ptr, 0x20), and(account, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(add(ptr, 0x40), amount)
            mstore(0x00, keccak256(ptr, 0x60))
            leaf := keccak256(0x00, 0x20)
        }
    }

    /// @dev The root a proof leads to, hashing sorted pairs exactly like OpenZeppelin's
    /// MerkleProof.processProofCalldata (Hashes.commutativeKeccak256), so StandardMerkleTree proofs
    /// verify unchanged. Written as one assembly loop because it runs 20 times per county-scale claim:
    /// the library's Solidity loop costs about 60 gas more per level (test/solidity/roster checks the two
    /// agree on random input).
    function _processProof(bytes32[] calldata proof, bytes32 leaf) private pure returns (bytes32 node) {
        assembly ("memory-safe") {
            node := leaf
            let end := add(proof.offset, shl(5, proof.length))
            for { let p := proof.offset } lt(p, end) { p := add(p, 0x20) } {
                let sibling := calldataload(p)
                switch lt(sibling, node)
                case 0 {
                    mstore(0x00, node)
                    mstore(0x20, sibling)
                }
                default {
                    mstore(0x00, sibling)
                    mstore(0x20, node)
                }
                node := keccak256(0x00, 0x40)
            }
        }
    }

    // ---------------------------------------------------------------- internal: money and state

    /// @dev The only place money leaves the programme. Callers have written all state before calling.
    function _pay(address to, uint256 amount) private {
        if (_token == address(0)) {
            // A full-gas call, not transfer(): Safes and other contract wallets must be payable.
            Address.sendValue(payable(to), amount);
        } else {
            IERC20(_token).safeTransfer(to, amount);
        }
    }

    function _held() private view returns (uint256) {
        return _token == address(0) ? address(this).balance : IERC20(_token).balanceOf(address(this));
    }

    function _checkDonation(uint256 amount) private view {
        if (amount == 0) revert AidRosterZeroAmount();
        // Late money would be locked in a finished programme.
        ProjectStatus s = _status();
        if (s != ProjectStatus.Funding) revert AidRosterNotFunding(s);
    }

    function _recordDonation(uint256 amount) private {
        uint256 previous = _contributions[msg.sender];
        // A refunded donor cannot return: donations close before refunds open.
        if (previous == 0) ++_donorCount;
        uint128 raised = SafeCast.toUint128(uint256(_raised) + amount);
        _raised = raised;
        _contributions[msg.sender] = previous + amount;
        emit Donated(msg.sender, amount, raised);
    }

    function _requireManager() private view {
        if (msg.sender != _manager || !_registry.hasRole(_managerRole, msg.sender)) {
            revert AidRosterNotManager(msg.sender);
        }
    }

    function _requireLive() private view {
        ProjectStatus s = _status();
        if (s != ProjectStatus.Funding && s != ProjectStatus.Active) revert AidRosterNotLive(s);
    }

    /// @dev The one place the status is derived; the order makes it only move forward.
    function _status() private view returns (ProjectStatus) {
        if (_gates[_root].cancelledAt != 0) return ProjectStatus.Cancelled;
        uint40 nowTime = _now();
        if (nowTime >= _claimDeadline) return ProjectStatus.Closed;
        if (nowTime < _fundingDeadline) return ProjectStatus.Funding;
        return ProjectStatus.Active;
    }

    function _unlockTime(uint256 tranche) private view returns (uint40) {
        uint256 word = tranche < _UNLOCKS_PER_WORD ? _unlocksLow : _unlocksHigh;
        return uint40(word >> ((tranche % _UNLOCKS_PER_WORD) * 40));
    }

    function _objectionKey(uint32 version, uint256 index) private pure returns (uint256) {
        return (uint256(version) << 128) | index;
    }

    /// @dev The single place time is read.
    function _now() private view returns (uint40) {
        return uint40(block.timestamp);
    }

    /// @dev floor(contribution x pool / raised), never more than the contribution: rounding is down for
    /// every donor, as in the escrow, so refunds never exceed deposits. The pool is the whole balance, so
    /// money sent outside donations (forced ETH, stray tokens) raises shares only up to the cap; what is
    /// left (dust and such money) stays held, in the books as held.
    function _shareOf(uint256 contribution, uint256 pool) private view returns (uint256) {
        return Math.min(Math.mulDiv(contribution, pool, _raised), contribution);
    }
}
