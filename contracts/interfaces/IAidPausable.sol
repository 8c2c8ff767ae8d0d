// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice A contract's pause, as one slot: the pause in force, the sum of earlier pauses and the last one.
struct PauseClock {
    uint40 pausedAt; // start of the pause in force; 0 when none (a pause also ends by itself after MAX_PAUSE)
    uint40 pausedTotal; // seconds of every pause that has ended
    uint40 lastEndedAt; // when the last pause ended (unpaused, or lapsed after MAX_PAUSE)
    uint40 lastLength; // how long the last pause lasted: the next may start that long after lastEndedAt
}

/// @title The guardian's pause, shared by escrow projects and roster programmes
/// @notice The guardian may stop donations, enrolments, publications, approvals and claims for at most
/// MAX_PAUSE at a time; the pause then ends by itself. After a pause the guardian must wait as long as it
/// lasted before pausing again. Every claim deadline moves later by the time paused (see the contract's
/// `claimDeadline` views), so no household loses a tranche to a pause; refunds, objections and rulings keep
/// working while paused. See docs/DECISIONS.md, "Pause".
interface IAidPausable {
    /// @notice `guardian` paused; the pause ends by itself at `lapsesAt` unless lifted earlier.
    event Paused(address indexed guardian, uint40 lapsesAt);
    /// @notice `guardian` lifted the pause after `pausedFor` seconds.
    event Unpaused(address indexed guardian, uint40 pausedFor);

    /// @notice Paused since `pausedAt`; the pause ends by itself at `lapsesAt`.
    error AidPauseActive(uint40 pausedAt, uint40 lapsesAt);
    /// @notice No pause is in force; the last one ended at `lastEndedAt` (0 if there never was one).
    error AidPauseNotActive(uint40 lastEndedAt);
    /// @notice The last pause ended at `lastEndedAt`; the next may start at `availableAt`.
    error AidPauseCoolingDown(uint40 lastEndedAt, uint40 availableAt);

    /// @notice Pauses for at most MAX_PAUSE. Only the registry's guardian.
    function pause() external;

    /// @notice Lifts the pause in force. Only the registry's guardian.
    function unpause() external;

    /// @notice Whether a pause is in force now.
    function paused() external view returns (bool);

    /// @notice The pause clock, with a pause that lapsed by itself counted as ended.
    function pauseClock() external view returns (PauseClock memory);

    /// @notice The longest a pause lasts before it ends by itself: 14 days.
    function MAX_PAUSE() external view returns (uint40);
}
