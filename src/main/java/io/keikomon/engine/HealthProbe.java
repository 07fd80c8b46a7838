package io.keikomon.engine;

import java.time.Instant;

/** One run of a container's healthcheck command. */
public record HealthProbe(Instant start, Instant end, int exitCode, String output) {}
