package io.keikomon.doctor;

import io.keikomon.api.ApiException;
import io.keikomon.api.ApiException.Failure;

/** Why a component's own API did not answer, by {@link ApiException}'s failure kind or status. */
final class Unreachable {
  private Unreachable() {
  }

  static String cause(String component, ApiException e) {
    if (e.hasStatus(401) || e.hasStatus(403)) {
      return component + " refuses the credentials doctor sent (HTTP " + e.status().getAsInt() + ")";
    }
    Failure f = e.failure().orElse(null);
    if (f == Failure.REFUSED) {
      return "nothing listens on " + component + "'s published port: the container is not running";
    }
    if (f == Failure.TIMEOUT) {
      return component + " accepted the connection but did not answer in time (overloaded, or still starting)";
    }
    if (f == Failure.TLS) {
      return "TLS to " + component + " failed";
    }
    return component + " did not answer its API: " + (f == null ? "HTTP " + e.status().orElse(0) : f.words());
  }

  static String fix(String service, ApiException e) {
    if (e.hasStatus(401) || e.hasStatus(403)) {
      return "doctor sends the password render wrote (secrets/" + service + "_password in the output folder);"
          + " `keiko-mon up` gives the running " + service + " that password, or remove an auth proxy in front of"
          + " its published port";
    }
    return "`keiko-mon status` shows the " + service + " container; `keiko-mon logs " + service
        + "` why it stopped; `keiko-mon up` starts it";
  }
}
