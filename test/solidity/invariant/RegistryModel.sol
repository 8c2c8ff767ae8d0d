// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @notice The Handler's independent model of the registry: which officials are appointed and which
/// attestations exist, when they expire and whether they were revoked. It answers "which k officials
/// hold valid attestations for these conditions now" without ever calling the registry, so the
/// registry's verifyConditions and the escrow's cached proofs are checked against it. Only the Handler
/// (its deployer) may update it; the fuzzer never targets it.
contract RegistryModel {
    struct Att {
        uint40 expiry; // 0: never attested
        bool revoked;
    }

    uint256 public constant CONDITIONS = 2;

    address public immutable owner;
    address[] public pool; // ascending
    mapping(uint256 household => mapping(uint256 condition => mapping(uint256 official => Att))) public att;
    mapping(uint256 official => bool) public active;
    /// @notice A reviewer's revocation bars the attester from re-attesting that household's condition
    /// until a reviewer lifts the bar (the registry's sticky revocations).
    mapping(uint256 household => mapping(uint256 condition => mapping(uint256 official => bool))) public barred;

    error NotOwner();

    constructor(address[] memory sortedPool) {
        owner = msg.sender;
        pool = sortedPool;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    function setActive(uint256 o, bool isActive) external onlyOwner {
        active[o] = isActive;
    }

    function setAttestation(uint256 h, uint256 c, uint256 o, uint40 expiry, bool revoked) external onlyOwner {
        att[h][c][o] = Att({expiry: expiry, revoked: revoked});
    }

    function setBarred(uint256 h, uint256 c, uint256 o) external onlyOwner {
        barred[h][c][o] = true;
    }

    function poolSize() external view returns (uint256) {
        return pool.length;
    }

    /// @notice Whether official `o`'s attestation of condition `c` for household `h` counts now.
    function valid(uint256 h, uint256 c, uint256 o) public view returns (bool) {
        Att storage a = att[h][c][o];
        return active[o] && a.expiry != 0 && !a.revoked && block.timestamp < a.expiry;
    }

    /// @notice k officials per required condition (bit c of `mask`), ascending, all holding valid
    /// attestations; `seed` skips some valid officials so different subsets get used.
    function attesters(uint8 mask, uint256 k, uint256 h, uint256 seed)
        external
        view
        returns (bool ok, address[] memory list)
    {
        list = new address[](_count(mask) * k);
        uint256 slot;
        uint256 n = pool.length;
        for (uint256 c; c < CONDITIONS; ++c) {
            if (mask & (1 << c) == 0) continue;
            uint256 validCount;
            for (uint256 o; o < n; ++o) {
                if (valid(h, c, o)) ++validCount;
            }
            if (validCount < k) return (false, list);
            uint256 skip = (seed >> 8) % (validCount - k + 1);
            uint256 taken;
            for (uint256 o; o < n && taken < k; ++o) {
                if (!valid(h, c, o)) continue;
                if (skip > 0) {
                    --skip;
                    continue;
                }
                list[slot++] = pool[o];
                ++taken;
            }
        }
        ok = true;
    }

    /// @notice The first k officials of the pool per required condition, whatever their standing.
    function naive(uint8 mask, uint256 k) external view returns (address[] memory list) {
        list = new address[](_count(mask) * k);
        uint256 slot;
        for (uint256 c; c < CONDITIONS; ++c) {
            if (mask & (1 << c) == 0) continue;
            for (uint256 o; o < k; ++o) {
                list[slot++] = pool[o];
            }
        }
    }

    /// @notice Whether `list` is k strictly ascending officials per required condition, all valid now.
    function listValid(uint8 mask, uint256 k, uint256 h, address[] calldata list) external view returns (bool) {
        if (list.length != _count(mask) * k) return false;
        uint256 slot;
        for (uint256 c; c < CONDITIONS; ++c) {
            if (mask & (1 << c) == 0) continue;
            address previous;
            for (uint256 j; j < k; ++j) {
                address a = list[slot++];
                if (a <= previous || !valid(h, c, indexOf(a))) return false;
                previous = a;
            }
        }
        return true;
    }

    function indexOf(address a) public view returns (uint256) {
        for (uint256 o; o < pool.length; ++o) {
            if (pool[o] == a) return o;
        }
        return type(uint256).max;
    }

    function _count(uint8 mask) private pure returns (uint256) {
        return (mask & 1) + ((mask >> 1) & 1);
    }
}
