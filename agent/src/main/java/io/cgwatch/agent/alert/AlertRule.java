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

  /** The severity of an alert at {@code c}; most rules have one, a rule with two conditions may grade them. */
  default String severity(Candidate c, RuleSettings s, EvalInput in) {
    return s.severity();
  }

  String summary(Candidate c, RuleSettings s, EvalInput in);

  String description(Candidate c, RuleSettings s, EvalInput in);
}
