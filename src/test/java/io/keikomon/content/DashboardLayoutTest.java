package io.keikomon.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keikomon.content.DashboardLayout.Query;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashboardLayoutTest {
  private static final Query Q = Query.of("up", "");

  @Test
  void panelsFlowLeftToRightWrapAtTwentyFourColumnsAndRowsStartNewLines() {
    List<Panel> panels = new DashboardLayout()
        .row("A")
        .panel("stat", "a1", "", "short", 16, 4, Q)
        .panel("stat", "a2", "", "short", 8, 6, Q)
        .panel("stat", "a3", "", "short", 12, 8, Q)
        .row("B")
        .panel("timeseries", "b1", "", "short", 24, 8, Q, Q)
        .panels();

    assertEquals(List.of(new GridPos(0, 0, 24, 1), new GridPos(0, 1, 16, 4), new GridPos(16, 1, 8, 6),
        new GridPos(0, 7, 12, 8), new GridPos(0, 15, 24, 1), new GridPos(0, 16, 24, 8)),
        panels.stream().map(Panel::gridPos).toList());
    assertEquals(List.of(1, 2, 3, 4, 5, 6), panels.stream().map(Panel::id).toList());
    assertEquals(List.of("A", "B"), panels.get(5).targets().stream().map(Target::refId).toList());
  }

  @Test
  void aPanelWiderThanTheGridIsAProgrammingError() {
    assertThrows(IllegalArgumentException.class, () -> new DashboardLayout().panel("stat", "x", "", "s", 25, 4, Q));
  }
}
