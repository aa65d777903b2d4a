package io.cgwatch.model;

/**
 * One line of a PSI file: share of wall time stalled (percent, averaged over 10 s, 60 s, 300 s) and the
 * cumulative stall time, converted from the kernel's microseconds.
 */
public record PsiLine(double avg10Percent, double avg60Percent, double avg300Percent, double totalSeconds) {}
