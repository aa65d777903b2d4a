package io.cgwatch.model;

import java.util.Optional;

/** A {@code *.pressure} file. {@code some} is missing in irq.pressure; {@code full} is missing for cpu before 5.13. */
public record Pressure(Optional<PsiLine> some, Optional<PsiLine> full) {}
