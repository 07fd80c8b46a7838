package io.keikomon.api;

import java.net.URI;

/** A complete HTTP answer: the URL asked, the status the service really sent, and the body. */
public record ApiResponse(URI uri, int status, String body) {
  public boolean ok() {
    return status >= 200 && status < 300;
  }
}
