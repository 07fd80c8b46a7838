package io.keikomon.validate.oracle;

import java.util.Collection;

/**
 * Oracle runs known to have passed, each named by a digest of the tool, its arguments and every input it
 * reads. A run whose digest is known is not run again: the same tool on the same bytes gives the same answer.
 * {@code keiko-mon validate} remembers nothing ({@link #NONE}) and so checks everything; {@code up} keeps them
 * in the output folder ({@link PassedRunsFile}).
 */
public interface PassedRuns {
  boolean contains(String key);

  void addAll(Collection<String> keys);

  PassedRuns NONE = new PassedRuns() {
    @Override
    public boolean contains(String key) {
      return false;
    }

    @Override
    public void addAll(Collection<String> keys) {}
  };
}
