package io.keikomon.content;

/** A value a panel shows as text in a colour (state timelines: 1 "up" green, 0 "down" red). */
public record ValueMapping(String value, String text, String color) {}
