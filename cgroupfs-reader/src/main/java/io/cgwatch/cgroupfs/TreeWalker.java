package io.cgwatch.cgroupfs;

import io.cgwatch.model.CgroupPaths;
import io.cgwatch.model.ScanError;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** Lists every directory of one mounted hierarchy, in pre-order, iteratively (hostile trees can be deep). */
final class TreeWalker {
  private TreeWalker() {}

  /**
   * The hierarchy's directories, root first, children in name order. A directory removed during the walk is
   * skipped with its subtree and counted as vanished. An unreadable directory is kept (it exists) without its
   * files or children, and an error is recorded.
   */
  static List<CgroupDir> walk(Path mountFsPath, String mountHostPath, ScanContext ctx) {
    return walk(mountFsPath, mountHostPath, ctx, () -> true);
  }

  /**
   * The same walk, stopped before the next directory once {@code inTime} says false (capture's {@code --timeout});
   * the stop is recorded on the context ({@link ScanContext#outOfTime()}).
   */
  static List<CgroupDir> walk(Path mountFsPath, String mountHostPath, ScanContext ctx, BooleanSupplier inTime) {
    List<CgroupDir> out = new ArrayList<>();
    ControlFiles.Subdirectory rootStat;
    try {
      rootStat = ctx.files().stat(mountFsPath);
    } catch (IOException e) {
      ctx.error(mountHostPath, "", ScanError.Kind.IO_ERROR, "cannot open mount point: " + ScanContext.reason(e));
      return out;
    }
    Deque<Pending> stack = new ArrayDeque<>();
    stack.push(new Pending(mountFsPath, "/", "", 0, -1, rootStat.inode(),
        rootStat.modifiedMillis()));
    boolean tooDeep = false;
    while (!stack.isEmpty()) {
      if (!inTime.getAsBoolean()) {
        ctx.stopOutOfTime();
        break;
      }
      Pending p = stack.pop();
      if (!ctx.walkOne()) {
        ctx.error(p.hostPath(mountHostPath), "", ScanError.Kind.LIMIT_CGROUPS, "more than " + ctx.options().maxDirectories()
            + " cgroups in one scan: this directory and " + stack.size() + " more pending were not walked");
        break;
      }
      ControlFiles.Listing listing;
      try {
        listing = ctx.files().list(p.fsPath);
      } catch (ReadTimeoutException e) {
        ctx.error(p.hostPath(mountHostPath), "", ScanError.Kind.TIMEOUT, "cannot list directory: " + ScanContext.reason(e));
        listing = ControlFiles.Listing.EMPTY;
      } catch (AccessDeniedException e) {
        ctx.error(p.hostPath(mountHostPath), "", ScanError.Kind.PERMISSION_DENIED, "cannot list directory: permission denied");
        listing = ControlFiles.Listing.EMPTY;
      } catch (IOException e) { // ENOENT, or ENODEV after rmdir
        if (p.depth > 0 && !ctx.files().isDirectory(p.fsPath)) {
          ctx.vanished();
          continue;
        }
        ctx.error(p.hostPath(mountHostPath), "", ScanError.Kind.IO_ERROR,
            "cannot list directory: " + ScanContext.reason(e));
        listing = ControlFiles.Listing.EMPTY;
      }
      int index = out.size();
      out.add(new CgroupDir(p.fsPath, mountHostPath, p.cgroupPath, p.name, p.depth, p.parent, p.inode,
          fileSet(listing.files()), listing.subdirectories().size(), p.modifiedMillis,
          listing.procsModifiedMillis()));
      if (p.depth >= ctx.options().maxWalkDepth() && !listing.subdirectories().isEmpty()) {
        if (!tooDeep) { // once per hierarchy: a deep chain is one finding, not one per level
          ctx.error(p.hostPath(mountHostPath), "", ScanError.Kind.LIMIT_DEPTH, "subdirectories deeper than "
              + ctx.options().maxWalkDepth() + " levels were not walked");
          tooDeep = true;
        }
        continue;
      }
      if (listing.subdirectories().isEmpty()) {
        continue; // a leaf, most cgroups: no copy to sort
      }
      List<ControlFiles.Subdirectory> children = new ArrayList<>(listing.subdirectories());
      children.sort(BY_NAME_DESCENDING); // pushed, so popped in order
      for (ControlFiles.Subdirectory child : children) {
        stack.push(new Pending(child.in(p.fsPath),
            CgroupPaths.child(p.cgroupPath, child.name()), child.name(), p.depth + 1, index, child.inode(),
            child.modifiedMillis()));
      }
    }
    return out;
  }

  /** The listing's names as an immutable set, shared with recent directories that listed the same names. */
  static Set<String> fileSet(List<String> files) {
    return FileSets.of(files);
  }

  private static final Comparator<ControlFiles.Subdirectory> BY_NAME_DESCENDING =
      Comparator.comparing(ControlFiles.Subdirectory::name).reversed();

  /** A directory to walk; its host path is built only for an error (a String per cgroup otherwise). */
  private record Pending(Path fsPath, String cgroupPath, String name, int depth, int parent,
      long inode, long modifiedMillis) {
    String hostPath(String mountHostPath) {
      return CgroupDir.hostPath(mountHostPath, cgroupPath);
    }
  }
}
