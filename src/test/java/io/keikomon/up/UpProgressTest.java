package io.keikomon.up;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class UpProgressTest {
  @Test
  void plainModePrintsEachChangeOnceAsAnAlignedLine() {
    StackUpTest.Lines console = new StackUpTest.Lines();
    UpProgress p = new UpProgress(console, false, List.of("prometheus", "grafana"));
    p.set("grafana", "creating");
    p.set("prometheus", "healthy (1.2s)");
    p.warn("something odd");
    assertEquals(List.of("grafana     creating", "prometheus  healthy (1.2s)", "warning: something odd"), console.lines);
  }

  @Test
  void liveModeRedrawsTheBlockInPlaceAndPutsMessagesAboveIt() {
    StackUpTest.Lines console = new StackUpTest.Lines();
    UpProgress p = new UpProgress(console, true, List.of("a", "bb"));
    p.set("a", "creating");
    p.set("bb", "started");
    p.note("pulled x");
    String up2 = "\u001b[2F";
    String clear = "\u001b[2K";
    assertEquals(List.of(
        clear + "a   creating", clear + "bb  waiting",
        up2 + clear + "a   creating", clear + "bb  started",
        up2 + clear + "pulled x", clear + "a   creating", clear + "bb  started"), console.lines);
  }
}
