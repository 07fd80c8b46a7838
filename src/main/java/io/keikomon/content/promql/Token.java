package io.keikomon.content.promql;

/**
 * One PromQL token. {@code text} is the source text, except for strings, where it is the unquoted value.
 * {@code offset} is the 0-based character offset in the expression.
 */
public record Token(Kind kind, String text, int offset) {
  public enum Kind {
    IDENTIFIER, STRING, NUMBER, DURATION,
    /** A Grafana variable ($name, ${name}, [[name]]); not PromQL, but dashboards are full of them. */
    VARIABLE,
    LEFT_PAREN, RIGHT_PAREN, LEFT_BRACE, RIGHT_BRACE, LEFT_BRACKET, RIGHT_BRACKET,
    COMMA, COLON, AT, OPERATOR
  }

  public boolean is(Kind k) {
    return kind == k;
  }
}
