// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @title AidBatch: one relayer batch entry as its own call, shared by escrow projects and roster programmes
/// @notice A batch entry is the ABI-encoded tuple of a signed claim. Its encoding is exactly the argument
/// encoding of the contract's own claimBySig, so the entry is forwarded as it arrived (no re-encoding) to
/// claimBySig on this contract with a gas cap; whatever the entry does, only that call reverts.
/// @dev Internal functions in assembly: this runs once per claim in a relayer's batch, where every 100 gas
/// counts (docs/DECISIONS.md, "Batches").
library AidBatch {
    /// @dev The end, in calldata, of the dynamic array whose offset is in head word `headWord` of the tuple at
    /// `tuple`: the array's length word, then `length` elements of 32 bytes (`isBytes` false) or `length`
    /// bytes padded to a word (`isBytes` true).
    function dynamicEnd(uint256 tuple, uint256 headWord, bool isBytes) internal pure returns (uint256 end) {
        assembly ("memory-safe") {
            let start := add(tuple, calldataload(add(tuple, shl(5, headWord))))
            let length := calldataload(start)
            switch isBytes
            case 0 { end := add(add(start, 0x20), shl(5, length)) }
            default { end := add(add(start, 0x20), and(add(length, 0x1f), not(0x1f))) }
        }
    }

    /// @dev Calls `selector` on this contract with the calldata bytes [tuple, end) as its arguments, preceded by
    /// one offset word 0x20 when `asOneTuple` (a function taking the struct as its single argument), with at most
    /// `gasCap` gas. Returns whether the call succeeded and, if not, its revert data.
    function callSelf(bytes4 selector, uint256 tuple, uint256 end, bool asOneTuple, uint256 gasCap)
        internal
        returns (bool ok, bytes memory reason)
    {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            let args := add(ptr, 4)
            if asOneTuple {
                mstore(args, 0x20)
                args := add(args, 0x20)
            }
            let length := sub(end, tuple)
            calldatacopy(args, tuple, length)
            ok := call(gasCap, address(), 0, ptr, sub(add(args, length), ptr), 0, 0)
            if iszero(ok) {
                // The revert data, as a bytes array over the (no longer needed) call buffer.
                reason := ptr
                mstore(reason, returndatasize())
                returndatacopy(add(reason, 0x20), 0, returndatasize())
                mstore(0x40, add(add(reason, 0x20), and(add(returndatasize(), 0x1f), not(0x1f))))
            }
        }
    }
}
