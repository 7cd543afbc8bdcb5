package io.miroir.meili;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The three ways Meilisearch (Rust) prints values inside its error messages, reproduced so that Miroir's copies of
 * those messages are byte-identical (SPEC §2.4, "standard Meilisearch errors must be reproduced exactly"):
 * serde_json's float output (the {@code ryu} crate), Rust's {@code Display} for {@code f64}, and Rust's {@code Debug}
 * for strings.
 */
final class RustFormat {
  private RustFormat() {
  }

  /**
   * A finite double as serde_json writes it: shortest round-trip digits, {@code 100.0}, {@code 1.5},
   * {@code 1e-7}, {@code 1.8446744073709552e19}.
   */
  static String ryu(double value) {
    if (value == 0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    BigDecimal shortest = shortest(value);
    String sign = shortest.signum() < 0 ? "-" : "";
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = -shortest.scale();
    int length = digits.length();
    int pointPosition = length + exponent; // 10^(pointPosition-1) <= |value| < 10^pointPosition
    StringBuilder out = new StringBuilder(sign);
    if (exponent >= 0 && pointPosition <= 16) {
      out.append(digits).append("0".repeat(exponent)).append(".0");
    } else if (pointPosition > 0 && pointPosition <= 16) {
      out.append(digits, 0, pointPosition).append('.').append(digits, pointPosition, length);
    } else if (pointPosition > -5 && pointPosition <= 0) {
      out.append("0.").append("0".repeat(-pointPosition)).append(digits);
    } else if (length == 1) {
      out.append(digits).append('e').append(pointPosition - 1);
    } else {
      out.append(digits.charAt(0)).append('.').append(digits, 1, length).append('e').append(pointPosition - 1);
    }
    return out.toString();
  }

  /** Rust's {@code format!("{}", f64)}: shortest round-trip digits, never an exponent, no ".0" on integers. */
  static String display(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0" : "0";
    }
    return shortest(value).toPlainString();
  }

  /** Rust's {@code format!("{:?}", str)}: quoted, with Rust's escapes. */
  static String debug(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    text.codePoints().forEach(cp -> appendDebug(out, cp));
    return out.append('"').toString();
  }

  private static void appendDebug(StringBuilder out, int cp) {
    switch (cp) {
      case 0 -> out.append("\\0");
      case '\t' -> out.append("\\t");
      case '\r' -> out.append("\\r");
      case '\n' -> out.append("\\n");
      case '\\' -> out.append("\\\\");
      case '"' -> out.append("\\\"");
      default -> {
        if (printable(cp)) {
          out.appendCodePoint(cp);
        } else {
          out.append("\\u{").append(Integer.toHexString(cp)).append('}');
        }
      }
    }
  }

  /** Approximates Rust's {@code char::is_printable}: controls, format, separators and unassigned are escaped. */
  private static boolean printable(int cp) {
    if (cp == ' ') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.SPACE_SEPARATOR, Character.PRIVATE_USE, Character.UNASSIGNED, Character.SURROGATE -> false;
      default -> true;
    };
  }

  /**
   * The shortest decimal that reads back as {@code value}, as Rust's ryu and core::fmt compute it. Java's algorithm
   * (Schubfach) gives the same digits except that it prefers a closer 2-digit decimal to a 1-digit one
   * ({@code 4.9E-324} where Rust prints {@code 5e-324}), so 1-digit candidates are tried first.
   */
  private static BigDecimal shortest(double value) {
    BigDecimal java = new BigDecimal(NumberOutput.toString(value, true)).stripTrailingZeros();
    if (java.precision() != 2) {
      return java;
    }
    BigDecimal exact = new BigDecimal(value);
    BigDecimal best = null;
    for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
      BigDecimal candidate = java.round(new MathContext(1, mode));
      if (Double.parseDouble(candidate.toString()) == value
          && (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
        best = candidate;
      }
    }
    return best == null ? java : best.stripTrailingZeros();
  }
}
