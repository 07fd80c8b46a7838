package io.keikomon.render;

import io.keikomon.config.LoadedConfig;
import io.keikomon.config.Secrets;

/**
 * What a command rendered a moment ago and from what: {@code up} hands it to validation, which would otherwise load
 * keiko.yml and render the same tree again in memory (about 0.4 s before promtool could start).
 */
public record JustRendered(LoadedConfig loaded, Secrets secrets, RenderedTree tree) {}
