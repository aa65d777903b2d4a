package io.cgwatch.agent.serve;

import java.util.function.Supplier;

/** A value computed on first use, once, whichever thread asks first; the others wait for it. */
final class Memo<T> implements Supplier<T> {
  private Supplier<T> compute;
  private volatile T value;

  Memo(Supplier<T> compute) {
    this.compute = compute;
  }

  @Override
  public T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          v = compute.get();
          value = v;
          compute = null; // let what it captured go
        }
      }
    }
    return v;
  }
}
