package io.keikomon.engine;

import java.time.Instant;

/**
 * A container's state as the engine reports it.
 *
 * @param status created, running, paused, restarting, removing, exited or dead
 * @param exitCode of the last run (0 while running)
 * @param startedAt null when never started
 * @param finishedAt null when it has not stopped since it last started
 * @param health null when the container has no healthcheck
 * @param error the engine's error message when it could not start the container, else empty
 */
public record ContainerState(
    String status,
    boolean running,
    int exitCode,
    boolean oomKilled,
    Instant startedAt,
    Instant finishedAt,
    Health health,
    String error) {}
