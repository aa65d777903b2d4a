package io.cgwatch.agent.reclaim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cgwatch.exporters.text.HumanUnits;
import io.cgwatch.exporters.text.TerminalSafe;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Renders {@code cgwatch reclaim}'s plan and outcome, as text or JSON. Renders only: decides and writes nothing. */
final class ReclaimReport {
  /** Built on first use: every command constructs ReclaimCommand, and Jackson's start-up was half of diagnose's. */
  private static final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
        .build();
  }

  private final PrintWriter out;
  private final boolean execute;
  /** How many notes the plan already printed; the outcome prints only the ones added after the write. */
  private int notesPrinted;

  ReclaimReport(PrintWriter out, boolean execute) {
    this.out = out;
    this.execute = execute;
  }

  void plan(Instant now, ReclaimPlanner.Target t, ReclaimPlanner.View b, long bytes, List<String> notes) {
    out.println("cgwatch reclaim at " + now + (execute ? "" : " (dry run)"));
    out.println("cgroup: " + TerminalSafe.escape(t.path()) + " (cgroup v2 at " + t.hierarchy().mountPoint()
        + ", kernel " + TerminalSafe.escape(t.kernelRelease()) + ")");
    out.println("nr_dying_descendants: " + count(b.dying()));
    out.println("orphaned page cache: " + (b.orphanedFile().isPresent()
        ? HumanUnits.bytes(b.orphanedFile().getAsLong()) + " (" + b.orphanedFile().getAsLong()
            + " bytes of file that no live child accounts for; an upper bound)"
        : "unknown (" + b.noEstimateReason() + ")"));
    out.println((execute ? "writing: " : "would write: ") + "echo " + bytes + " > "
        + TerminalSafe.escape(t.shownFile()));
    for (String n : notes) {
      out.println("note: " + TerminalSafe.escape(n));
    }
    notesPrinted = notes.size();
    out.flush();
  }

  void dryRun() {
    out.println("dry run: nothing written. Add --execute to run it.");
    out.flush();
  }

  void outcome(String command, ReclaimWriter.Result r, ReclaimPlanner.View b, ReclaimPlanner.View a,
      List<String> notes) {
    out.println("wrote: " + TerminalSafe.escape(command) + " (" + HumanUnits.duration(r.took()) + ")");
    out.println("outcome: " + r.outcome().label + ": " + TerminalSafe.escape(r.detail()));
    out.println();
    out.printf("%-22s %12s %12s%n", "", "BEFORE", "AFTER");
    out.printf("%-22s %12s %12s%n", "nr_dying_descendants", count(b.dying()), count(a.dying()));
    out.printf("%-22s %12s %12s%n", "orphaned file", size(b.orphanedFile()), size(a.orphanedFile()));
    for (String n : notes.subList(Math.min(notes.size(), notesPrinted), notes.size())) {
      out.println("note: " + TerminalSafe.escape(n));
    }
    out.flush();
  }

  void json(ReclaimPlanner.Target t, boolean dryRun, long bytes, ReclaimPlanner.View b, ReclaimPlanner.View a,
      String outcome, String message, List<String> notes) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("cgroup", t.path());
    doc.put("mount_point", t.hierarchy().mountPoint());
    doc.put("dry_run", dryRun);
    doc.put("bytes", bytes);
    doc.put("dying_before", boxed(b.dying()));
    doc.put("orphaned_file_bytes_before", boxed(b.orphanedFile()));
    doc.put("dying_after", a == null ? null : boxed(a.dying()));
    doc.put("orphaned_file_bytes_after", a == null ? null : boxed(a.orphanedFile()));
    doc.put("outcome", outcome);
    doc.put("message", notes.isEmpty() ? message : message + "; " + String.join("; ", notes));
    Json.MAPPER.writeValue(out, doc);
    out.println();
    out.flush();
  }

  private static String count(OptionalLong v) {
    return v.isPresent() ? Long.toString(v.getAsLong()) : "unknown";
  }

  private static String size(OptionalLong v) {
    return v.isPresent() ? HumanUnits.bytes(v.getAsLong()) : "unknown";
  }

  private static Long boxed(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : null;
  }
}
