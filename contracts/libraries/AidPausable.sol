// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IAidPausable, PauseClock} from "../interfaces/IAidPausable.sol";

/// @dev The longest a pause lasts before it ends by itself (IAidPausable.MAX_PAUSE).
uint40 constant AID_MAX_PAUSE = 14 days;

/// @title AidPauseClock: the guardian's pause, bounded, with the time paused given back to claims
/// @notice One pause policy for escrow projects and roster programmes (docs/DECISIONS.md, "Pause"): a pause
/// lasts at most MAX_PAUSE and ends by itself; the next may start only as long after the last ended as the last
/// lasted; claim deadlines move later by every second paused.
/// @dev The clock is one slot, so checking the pause on a hot path costs one read, as OpenZeppelin's Pausable
/// did. Internal functions, used by AidPausable and by AidRosterGovernance (a roster programme pauses through its
/// linked library, to keep its own code small).
library AidPauseClock {
    /// @dev Starts a pause; returns when it lapses.
    function pause(PauseClock storage s) internal returns (uint40 lapsesAt) {
        uint40 nowTime = uint40(block.timestamp);
        PauseClock memory c = folded(s, nowTime);
        if (c.pausedAt != 0) revert IAidPausable.AidPauseActive(c.pausedAt, c.pausedAt + AID_MAX_PAUSE);
        // Cannot overflow: times are seconds since 1970 and lengths are at most MAX_PAUSE.
        uint40 availableAt = c.lastEndedAt + c.lastLength;
        if (c.lastEndedAt != 0 && nowTime < availableAt) {
            revert IAidPausable.AidPauseCoolingDown(c.lastEndedAt, availableAt);
        }
        c.pausedAt = nowTime;
        s.pausedAt = c.pausedAt;
        s.pausedTotal = c.pausedTotal;
        s.lastEndedAt = c.lastEndedAt;
        s.lastLength = c.lastLength;
        lapsesAt = nowTime + AID_MAX_PAUSE;
        emit IAidPausable.Paused(msg.sender, lapsesAt);
    }

    /// @dev Ends the pause in force.
    function unpause(PauseClock storage s) internal {
        uint40 nowTime = uint40(block.timestamp);
        PauseClock memory c = folded(s, nowTime);
        if (c.pausedAt == 0) revert IAidPausable.AidPauseNotActive(c.lastEndedAt);
        uint40 length = nowTime - c.pausedAt;
        s.pausedTotal = c.pausedTotal + length;
        s.lastEndedAt = nowTime;
        s.lastLength = length;
        s.pausedAt = 0;
        emit IAidPausable.Unpaused(msg.sender, length);
    }

    /// @dev Whether `c` has a pause in force at `nowTime`.
    function isPaused(PauseClock memory c, uint40 nowTime) internal pure returns (bool) {
        return c.pausedAt != 0 && nowTime < c.pausedAt + AID_MAX_PAUSE;
    }

    /// @dev The clock with a pause that lapsed by itself at or before `nowTime` counted as ended.
    function folded(PauseClock memory c, uint40 nowTime) internal pure returns (PauseClock memory) {
        if (c.pausedAt != 0 && nowTime >= c.pausedAt + AID_MAX_PAUSE) {
            c.pausedTotal += AID_MAX_PAUSE;
            c.lastEndedAt = c.pausedAt + AID_MAX_PAUSE;
            c.lastLength = AID_MAX_PAUSE;
            c.pausedAt = 0;
        }
        return c;
    }
}

/// @title AidPausable: the pause clock's storage and views, for contracts that inherit it
abstract contract AidPausable is IAidPausable {
    /// @inheritdoc IAidPausable
    uint40 public constant MAX_PAUSE = AID_MAX_PAUSE;

    PauseClock internal _pauseClock;

    /// @inheritdoc IAidPausable
    function paused() public view returns (bool) {
        return AidPauseClock.isPaused(_pauseClock, uint40(block.timestamp));
    }

    /// @inheritdoc IAidPausable
    function pauseClock() external view returns (PauseClock memory) {
        return AidPauseClock.folded(_pauseClock, uint40(block.timestamp));
    }

    /// @dev Refuses while a pause is in force (one field of one slot read, as OpenZeppelin's Pausable).
    function _requireNotPaused() internal view {
        uint40 pausedAt = _pauseClock.pausedAt;
        if (pausedAt != 0 && block.timestamp < pausedAt + AID_MAX_PAUSE) {
            revert AidPauseActive(pausedAt, pausedAt + AID_MAX_PAUSE);
        }
    }

    /// @dev Every second paused so far: what claim deadlines have moved by (two fields of one slot read).
    function _pausedNow() internal view returns (uint40) {
        PauseClock storage c = _pauseClock;
        uint40 pausedAt = c.pausedAt;
        uint40 total = c.pausedTotal;
        if (pausedAt == 0) return total;
        uint40 lapsesAt = pausedAt + AID_MAX_PAUSE;
        uint40 nowTime = uint40(block.timestamp);
        return total + ((nowTime < lapsesAt ? nowTime : lapsesAt) - pausedAt);
    }
}
