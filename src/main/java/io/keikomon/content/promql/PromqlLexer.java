package io.keikomon.content.promql;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits a PromQL expression into tokens: strings (all three quote styles), numbers (decimal, hex,
 * exponent), durations (5m, 1h30m, 500ms), identifiers (metric, label, function and keyword names),
 * brackets, operators, the subquery colon and the @ modifier. Grafana variables are tokens of their own.
 * It also insists that brackets balance, which catches the commonest typos in hand-written queries.
 */
public final class PromqlLexer {
  private static final String UNITS = "yYwdhms"; // ms is m followed by s

  private final String src;
  private int pos;
  private final List<Token> tokens = new ArrayList<>();
  private final Deque<Token> open = new ArrayDeque<>();

  private PromqlLexer(String src) {
    this.src = src;
  }

  public static List<Token> tokenize(String expr) throws PromqlSyntaxException {
    PromqlLexer lexer = new PromqlLexer(expr);
    lexer.run();
    return List.copyOf(lexer.tokens);
  }

  private void run() throws PromqlSyntaxException {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '#') {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        string(c);
      } else if (isDigit(c) || (c == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1)))) {
        numberOrDuration();
      } else if (c == '$') {
        variable();
      } else if (c == '[' && src.startsWith("[[", pos)) {
        int end = src.indexOf("]]", pos);
        if (end < 0) {
          throw new PromqlSyntaxException("unterminated [[variable]]", pos);
        }
        add(Token.Kind.VARIABLE, pos, end + 2);
      } else if (isIdentStart(c) && !(c == ':' && insideBrackets())) {
        int start = pos;
        while (pos < src.length() && isIdentPart(src.charAt(pos))) {
          pos++;
        }
        tokens.add(new Token(Token.Kind.IDENTIFIER, src.substring(start, pos), start));
      } else {
        punctuation(c);
      }
    }
    if (!open.isEmpty()) {
      Token t = open.peek();
      throw new PromqlSyntaxException("unclosed '" + t.text() + "'", t.offset());
    }
  }

  private void punctuation(char c) throws PromqlSyntaxException {
    int start = pos;
    switch (c) {
      case '(' -> opening(Token.Kind.LEFT_PAREN);
      case '{' -> opening(Token.Kind.LEFT_BRACE);
      case '[' -> opening(Token.Kind.LEFT_BRACKET);
      case ')' -> closing(Token.Kind.RIGHT_PAREN, Token.Kind.LEFT_PAREN);
      case '}' -> closing(Token.Kind.RIGHT_BRACE, Token.Kind.LEFT_BRACE);
      case ']' -> closing(Token.Kind.RIGHT_BRACKET, Token.Kind.LEFT_BRACKET);
      case ',' -> add(Token.Kind.COMMA, start, start + 1);
      case ':' -> add(Token.Kind.COLON, start, start + 1);
      case '@' -> add(Token.Kind.AT, start, start + 1);
      case '=', '!', '<', '>' -> {
        char next = pos + 1 < src.length() ? src.charAt(pos + 1) : 0;
        boolean two = next == '=' || (next == '~' && (c == '=' || c == '!'));
        if (c == '!' && !two) {
          throw new PromqlSyntaxException("unexpected '!'", start);
        }
        add(Token.Kind.OPERATOR, start, start + (two ? 2 : 1));
      }
      case '+', '-', '*', '/', '%', '^' -> add(Token.Kind.OPERATOR, start, start + 1);
      default -> throw new PromqlSyntaxException("unexpected character '" + c + "'", start);
    }
  }

  private void opening(Token.Kind kind) {
    add(kind, pos, pos + 1);
    open.push(tokens.get(tokens.size() - 1));
  }

  private void closing(Token.Kind kind, Token.Kind opener) throws PromqlSyntaxException {
    if (open.isEmpty() || open.peek().kind() != opener) {
      throw new PromqlSyntaxException("unexpected '" + src.charAt(pos) + "'"
          + (open.isEmpty() ? "" : " (the '" + open.peek().text() + "' at offset " + open.peek().offset()
              + " is still open)"), pos);
    }
    open.pop();
    add(kind, pos, pos + 1);
  }

  private boolean insideBrackets() {
    return !open.isEmpty() && open.peek().kind() == Token.Kind.LEFT_BRACKET;
  }

  private void add(Token.Kind kind, int start, int end) {
    tokens.add(new Token(kind, src.substring(start, end), start));
    pos = end;
  }

  private void string(char quote) throws PromqlSyntaxException {
    int start = pos++;
    StringBuilder value = new StringBuilder();
    while (pos < src.length()) {
      char c = src.charAt(pos++);
      if (c == quote) {
        tokens.add(new Token(Token.Kind.STRING, value.toString(), start));
        return;
      }
      if (c == '\\' && quote != '`' && pos < src.length()) {
        char e = src.charAt(pos++);
        value.append(switch (e) {
          case 'n' -> '\n';
          case 't' -> '\t';
          default -> e;
        });
      } else if (c == '\n' && quote != '`') {
        break;
      } else {
        value.append(c);
      }
    }
    throw new PromqlSyntaxException("unterminated string", start);
  }

  private void numberOrDuration() throws PromqlSyntaxException {
    int start = pos;
    if (src.startsWith("0x", pos) || src.startsWith("0X", pos)) {
      pos += 2;
      while (pos < src.length() && Character.digit(src.charAt(pos), 16) >= 0) {
        pos++;
      }
      finishNumber(start, Token.Kind.NUMBER);
      return;
    }
    digits();
    boolean integer = true;
    if (pos < src.length() && src.charAt(pos) == '.') {
      integer = false;
      pos++;
      digits();
    }
    if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')
        && pos + 1 < src.length() && (isDigit(src.charAt(pos + 1)) || src.charAt(pos + 1) == '+' || src.charAt(pos + 1) == '-')) {
      integer = false;
      pos += 2;
      digits();
    }
    if (integer && pos < src.length() && UNITS.indexOf(src.charAt(pos)) >= 0) {
      // a duration: one or more <digits><unit> pairs, e.g. 1h30m
      while (true) {
        if (src.startsWith("ms", pos)) {
          pos += 2;
        } else if (pos < src.length() && UNITS.indexOf(src.charAt(pos)) >= 0) {
          pos++;
        } else {
          throw new PromqlSyntaxException("bad duration '" + src.substring(start, pos) + "'", start);
        }
        if (pos < src.length() && isDigit(src.charAt(pos))) {
          digits();
        } else {
          break;
        }
      }
      finishNumber(start, Token.Kind.DURATION);
      return;
    }
    finishNumber(start, Token.Kind.NUMBER);
  }

  private void finishNumber(int start, Token.Kind kind) throws PromqlSyntaxException {
    if (pos < src.length() && isIdentPart(src.charAt(pos)) && src.charAt(pos) != ':') {
      throw new PromqlSyntaxException("bad number or duration '" + src.substring(start, pos + 1) + "'", start);
    }
    tokens.add(new Token(kind, src.substring(start, pos), start));
  }

  private void digits() {
    while (pos < src.length() && (isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
      pos++;
    }
  }

  private void variable() throws PromqlSyntaxException {
    int start = pos;
    if (src.startsWith("${", pos)) {
      int end = src.indexOf('}', pos);
      if (end < 0) {
        throw new PromqlSyntaxException("unterminated ${variable}", start);
      }
      add(Token.Kind.VARIABLE, start, end + 1);
      return;
    }
    pos++;
    while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
      pos++;
    }
    if (pos == start + 1) {
      throw new PromqlSyntaxException("unexpected '$'", start);
    }
    tokens.add(new Token(Token.Kind.VARIABLE, src.substring(start, pos), start));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || isDigit(c);
  }
}
