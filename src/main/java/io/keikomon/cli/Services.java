package io.keikomon.cli;

import io.keikomon.core.Workspace;

/**
 * What commands are built with. Real ones come from {@link #real}; tests pass jimfs workspaces and fakes.
 * Capabilities add their services here as they land.
 */
public record Services(Workspace workspace, boolean terminal) {
  public static Services real(Workspace workspace, boolean terminal) {
    return new Services(workspace, terminal);
  }
}
