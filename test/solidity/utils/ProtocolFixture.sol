// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {TestBase} from "./Vm.sol";
import {AidRegistry} from "../../../contracts/AidRegistry.sol";
import {AidEscrow} from "../../../contracts/AidEscrow.sol";
import {TestStablecoin} from "../../../contracts/mocks/TestStablecoin.sol";
import {IAidRegistry} from "../../../contracts/interfaces/IAidRegistry.sol";
import {ProjectTerms, OfficialProfile} from "../../../contracts/interfaces/AidTypes.sol";

/// @notice Deploys the real registry, escrow and test stablecoin and hands out every role, like
/// test/helpers/fixtures.ts does for the TypeScript tests. Officials are sorted ascending so attester
/// lists can be built in the order the registry requires.
abstract contract ProtocolFixture is TestBase {
    bytes32 internal constant INCOME = keccak256("household.income-below-line");
    bytes32 internal constant SCHOOL = keccak256("household.child-in-school");
    uint256 internal constant DAY = 1 days;

    AidRegistry internal registry;
    AidEscrow internal escrow;
    TestStablecoin internal stable;

    address internal admin = makeAddr("admin");
    address internal manager = makeAddr("manager");
    address internal reviewer = makeAddr("reviewer");
    address internal guardian = makeAddr("guardian");
    address internal outsider = makeAddr("outsider");

    /// @dev Every official address the fixture knows, sorted ascending; the first `activeOfficials` are appointed.
    address[] internal officialPool;
    /// @dev The private key behind each official, so tests can sign EIP-712 approvals (bindings, exits) as
    /// real officials do.
    mapping(address official => uint256 key) internal officialKey;

    function _deployProtocol(uint256 poolSize, uint256 activeOfficials) internal {
        // A direct admin: the local chain is the only one the registry accepts it on (31337).
        registry = new AidRegistry(admin, address(0), 2 days, 2, 3 days);
        escrow = new AidEscrow(IAidRegistry(address(registry)));
        stable = new TestStablecoin();

        vm.startPrank(admin);
        registry.grantRole(registry.MANAGER_ROLE(), manager);
        registry.grantRole(registry.REVIEWER_ROLE(), reviewer);
        registry.grantRole(registry.GUARDIAN_ROLE(), guardian);
        escrow.setTokenAllowed(address(stable), true);
        vm.stopPrank();

        for (uint256 i; i < poolSize; ++i) {
            uint256 key = uint256(keccak256(bytes(string.concat("official-", _digit(i)))));
            address official = vm.addr(key);
            officialKey[official] = key;
            officialPool.push(official);
        }
        _sort(officialPool);
        for (uint256 i; i < activeOfficials; ++i) {
            vm.prank(admin);
            registry.addOfficial(officialPool[i], _profile(i));
        }
    }

    /// @dev A short public profile for official i of the pool.
    function _profile(uint256 i) internal pure returns (OfficialProfile memory) {
        return OfficialProfile(string.concat("Official ", _digit(i)), "Township office", "cn-gz-leishan");
    }

    /// @dev Binds `commitment` to `account` with the EIP-712 signatures of the first `threshold` current
    /// officials of the pool (ascending, as the registry requires).
    function _bind(bytes32 commitment, address account) internal {
        (uint8 k,) = registry.rebindPolicy();
        address[] memory signers = new address[](k);
        bytes[] memory signatures = new bytes[](k);
        uint256 deadline = block.timestamp + 1 days;
        bytes32 digest = _bindDigest(commitment, account, deadline);
        uint256 found;
        for (uint256 i; i < officialPool.length && found < k; ++i) {
            address o = officialPool[i];
            if (!registry.isOfficial(o)) continue;
            signers[found] = o;
            signatures[found] = _sign(officialKey[o], digest);
            ++found;
        }
        registry.bindIdentity(commitment, account, deadline, signers, signatures);
    }

    /// @dev The EIP-712 digest of BindIdentity(commitment, account, deadline) under the registry's domain.
    function _bindDigest(bytes32 commitment, address account, uint256 deadline) internal view returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(registry.BIND_IDENTITY_TYPEHASH(), commitment, account, deadline));
        return keccak256(abi.encodePacked("\x19\x01", _domainSeparator(), structHash));
    }

    function _domainSeparator() internal view returns (bytes32) {
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            registry.eip712Domain();
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

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev Terms relative to now; callers override fields in memory.
    function _terms(address token, uint88 amountPerTranche, uint8 tranches) internal view returns (ProjectTerms memory t) {
        uint40 nowTime = uint40(block.timestamp);
        t.token = token;
        t.category = bytes32("education");
        t.region = bytes32("cn-gz-leishan");
        t.metadataURI = "ipfs://bafy-project";
        t.conditions = new bytes32[](1);
        t.conditions[0] = INCOME;
        t.threshold = 2;
        t.amountPerTranche = amountPerTranche;
        t.trancheUnlockTimes = new uint40[](tranches);
        for (uint256 i; i < tranches; ++i) {
            t.trancheUnlockTimes[i] = nowTime + uint40((10 + 5 * i) * DAY);
        }
        t.maxBeneficiaries = 10;
        t.fundingDeadline = nowTime + uint40(5 * DAY);
        t.claimDeadline = nowTime + uint40(100 * DAY);
        t.publicityWindow = uint32(7 * DAY);
    }

    function _createProject(ProjectTerms memory t) internal returns (uint256 projectId) {
        vm.prank(manager);
        projectId = escrow.createProject(t);
    }

    /// @dev Binds `account` to `commitment` and has officials [0, k) attest every condition until `expiry`.
    function _identify(bytes32 commitment, address account, bytes32[] memory conditions, uint256 k, uint40 expiry)
        internal
        returns (address[] memory attesters)
    {
        _bind(commitment, account);
        attesters = new address[](conditions.length * k);
        for (uint256 c; c < conditions.length; ++c) {
            for (uint256 o; o < k; ++o) {
                vm.prank(officialPool[o]);
                registry.attest(commitment, conditions[c], expiry, keccak256(abi.encode(commitment, c, o)), 70);
                attesters[c * k + o] = officialPool[o];
            }
        }
    }

    /// @dev The EIP-712 digest of `structHash` under `verifying`'s domain (name `name`, version "1").
    function _typedDigest(address verifying, string memory name, bytes32 structHash) internal view returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256(bytes(name)),
                keccak256("1"),
                block.chainid,
                verifying
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    /// @dev Each of `signers` (officials of the pool) signs `digest`, in the given order.
    function _signAll(address[] memory signers, bytes32 digest) internal view returns (bytes[] memory signatures) {
        signatures = new bytes[](signers.length);
        for (uint256 i; i < signers.length; ++i) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(officialKey[signers[i]], digest);
            signatures[i] = abi.encodePacked(r, s, v);
        }
    }

    function _sort(address[] storage list) internal {
        uint256 n = list.length;
        for (uint256 i = 1; i < n; ++i) {
            address key = list[i];
            uint256 j = i;
            while (j > 0 && list[j - 1] > key) {
                list[j] = list[j - 1];
                --j;
            }
            list[j] = key;
        }
    }

    function _digit(uint256 i) internal pure returns (string memory) {
        bytes memory b = new bytes(1);
        b[0] = bytes1(uint8(48 + i));
        return string(b);
    }
}
