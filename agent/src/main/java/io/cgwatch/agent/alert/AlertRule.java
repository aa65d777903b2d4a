package io.cgwatch.agent.alert;

import io.cgwatch.model.HostInfo;
import java.util.List;

/** One built-in rule: what it measures, where, its defaults, and the words for the person on call. Pure. */
interface AlertRule {
  /** A value measured at one place. */
  record Candidate(String hierarchy, String cgroup, double value) {}

  String name();

  RuleSettings defaults(HostInfo host);

  List<Candidate> candidates(EvalInput in, AlertEngine.History history);

  /** Whether the condition holds; most rules compare with the threshold, some add a forecast. */
  default boolean above(Candidate c, RuleSettings s, EvalInput in) {
    return c.value() > s.threshold();
  }

  default boolean belowClear(Candidate c, RuleSettings s, EvalInput in) {
    return c.value() < s.clear();
  }

  String summary(Candidate c, RuleSettings s, EvalInput in);

  String description(Candidate c, RuleSettings s, EvalInput in);
}
