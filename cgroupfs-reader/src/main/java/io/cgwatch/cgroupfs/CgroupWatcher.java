package io.cgwatch.cgroupfs;

import io.cgwatch.cgroupfs.parse.MountinfoParser;
import io.cgwatch.model.CgroupEvent;
import io.cgwatch.model.CgroupPaths;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.Charges;
import io.cgwatch.model.WatchStats;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the memory hierarchy (the v1 {@code memory} mount, else the cgroup2 mount) with inotify, through
 * {@link WatchService}: one watch per cgroup directory down to the scan's depth, on one daemon thread. It sees what a poll can miss, a cgroup
 * born, emptied and removed between two scans, and hands out time-stamped {@link CgroupEvent}s:
 * <ul>
 *   <li>{@code CREATED}: a new directory, registered at once, its existing subdirectories too (a job may populate
 *       and exit before the watch is up), with what it already holds;
 *   <li>{@code UNPOPULATED} (v2): a modification of {@code cgroup.events} after which it reads {@code populated 0};
 *       the charges ({@code memory.current}, {@code memory.stat}) are read at that moment;
 *   <li>{@code REMOVED}: rmdir of a watched directory.
 * </ul>
 * Reads go through the scan's own {@link ControlFiles} and parsers ({@link V2CgroupReader},
 * {@link V1MemoryCgroupReader}: regular files only, {@code O_NOFOLLOW}, the size cap), with the file set narrowed to
 * the few files an event needs. Names are untrusted: a child is opened through the raw path the event gives.
 *
 * <p>Only as deep as the scan reads ({@code maxDepth}, the mount's root being depth 0, as in {@link ScanOptions}):
 * a cgroup the scan never reads has no lifecycle (the tracker would bury at the next scan a deeper cgroup an event
 * announced, since no snapshot holds it), and a watch per deeper directory costs heap and inotify memory for
 * nothing: with {@code serve}'s default depth 3 on a host of 11,111 cgroups (fanout 10), 1,111 watches instead of
 * 11,111, ~5 MB of heap less. A directory at the bound is watched for its {@code cgroup.events}; its children are
 * neither registered nor announced.
 *
 * <p>Bounded: at most {@code maxWatches} directories and {@code queueCapacity} undrained events. Any sign that the
 * events are incomplete makes it <b>fall back</b>: it releases every watch and says so in {@link WatchStats}; the
 * scans, which run every interval anyway, are then the only source, as without a watcher. After the kernel's or
 * WatchService's {@code OVERFLOW} (512 undrained events on one directory are enough) or a full queue, it re-arms
 * by itself once the queue has room (a fresh walk); after a failed registration (the inotify watch limit, ENOSPC),
 * more directories than {@code maxWatches}, or the thread dying, the fallback lasts until the watcher is made
 * again (serve restarts or reloads).
 * Never blocks a scan: {@link #drain()} only empties a queue.
 */
public final class CgroupWatcher implements CgroupEventSource, AutoCloseable {
  /** Far above the cgroups of a busy node; a host with more falls back to polling. */
  public static final int DEFAULT_MAX_WATCHES = 20_000;
  /** Events kept between two drains; a burst larger than this in one interval falls back. */
  public static final int DEFAULT_QUEUE_CAPACITY = 20_000;

  private static final String EVENTS = "cgroup.events";
  private static final long REARM_POLL_MILLIS = 100;
  private static final Set<String> V2_EVENT_FILES = Set.of(EVENTS, "memory.current", "memory.stat");
  private static final Set<String> V1_EVENT_FILES = Set.of("memory.usage_in_bytes", "memory.stat");

  private final HostRoots roots;
  private final ControlFiles files;
  private final Clock clock;
  private final int maxWatches;
  private final int maxDepth;
  private final BlockingQueue<CgroupEvent> queue;
  private final int queueCapacity;
  private final Thread thread;

  // Written by the watcher thread, read by drain().
  private final Map<String, AtomicLong> eventsTotal = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong fallbacks = new AtomicLong();
  private volatile boolean fallbackActive;
  /** The current fallback ends by itself (see {@link #rearm}). */
  private volatile boolean transientFallback;
  private volatile String fallbackReason;
  private volatile int watchCount;
  private volatile boolean closed;
  private volatile WatchService service;

  // The watcher thread's own.
  private final Map<WatchKey, Dir> byKey = new HashMap<>();
  private final Map<String, Dir> byPath = new HashMap<>();
  private CgroupMount mount;

  /** A watched directory (or one gone before it could be watched: no key, inode -1). */
  private static final class Dir {
    final Path fsPath;
    final String cgroupPath;
    final long inode;
    final int depth;
    WatchKey key;

    Dir(Path fsPath, String cgroupPath, long inode, int depth) {
      this.fsPath = fsPath;
      this.cgroupPath = cgroupPath;
      this.inode = inode;
      this.depth = depth;
    }
  }

  /** A watcher of every depth (what {@code diagnose} reads by default). */
  public CgroupWatcher(HostRoots roots, ControlFiles files, Clock clock, int maxWatches, int queueCapacity) {
    this(roots, files, clock, maxWatches, queueCapacity, ScanOptions.UNLIMITED_DEPTH);
  }

  /** @param maxDepth the deepest directory watched, as the scan's {@link ScanOptions#maxDepth()} (root = 0) */
  public CgroupWatcher(HostRoots roots, ControlFiles files, Clock clock, int maxWatches, int queueCapacity,
      int maxDepth) {
    if (maxDepth < 0) {
      throw new IllegalArgumentException("maxDepth must be >= 0, got " + maxDepth);
    }
    this.maxDepth = maxDepth;
    this.roots = roots;
    this.files = files;
    this.clock = clock;
    this.maxWatches = maxWatches;
    this.queueCapacity = Math.max(1, queueCapacity);
    this.queue = new ArrayBlockingQueue<>(this.queueCapacity);
    this.thread = new Thread(this::run, "cgwatch-watcher");
    this.thread.setDaemon(true);
  }

  /**
   * A watcher of the live host's (or {@code roots}') memory hierarchy with the default bounds, started, down to
   * {@code maxDepth} (the scan's, so that it announces only cgroups the scan reads).
   */
  public static CgroupWatcher start(HostRoots roots, Clock clock, int maxDepth) {
    CgroupWatcher w = new CgroupWatcher(roots, new NioControlFiles(), clock, DEFAULT_MAX_WATCHES,
        DEFAULT_QUEUE_CAPACITY, maxDepth);
    w.start();
    return w;
  }

  public void start() {
    thread.start();
  }

  @Override
  public Batch drain() {
    List<CgroupEvent> out = new ArrayList<>(queue.size());
    queue.drainTo(out);
    return new Batch(out, stats());
  }

  /** The state now, leaving the events queued. */
  public WatchStats stats() {
    Map<String, Long> totals = new HashMap<>();
    eventsTotal.forEach((k, v) -> totals.put(k, v.get()));
    return new WatchStats(true, fallbackActive ? 0 : watchCount, fallbackActive, fallbacks.get(), totals,
        dropped.get(), Optional.ofNullable(fallbackReason));
  }

  /**
   * Whether the whole hierarchy is registered and the watcher is waiting for events (tests wait for it); false again
   * while it re-arms.
   */
  public boolean ready() {
    return ready;
  }

  private volatile boolean ready;

  @Override
  public void close() {
    closed = true;
    WatchService ws = service;
    if (ws != null) {
      try {
        ws.close(); // wakes the thread from take(): it ends
      } catch (IOException e) {
        // closing releases the inotify descriptor; nothing more to do if it fails
      }
    }
    thread.interrupt();
  }

  private void run() {
    try {
      Optional<CgroupMount> m = memoryMount();
      if (m.isEmpty()) {
        fallBack("no full view of a memory hierarchy in mountinfo");
        return;
      }
      mount = m.get();
      Path at = roots.resolveMountPoint(mount.mount().mountPoint());
      service = at.getFileSystem().newWatchService();
      if (closed) {
        return;
      }
      if (!registerTree(at, "/", 0, false)) {
        return;
      }
      ready = true;
      while (!closed) {
        if (fallbackActive) {
          if (!transientFallback || !rearm(at)) {
            return;
          }
          continue;
        }
        handle(service.take());
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed: the normal end
    } catch (IOException | RuntimeException | Error e) {
      if (!closed) {
        fallBack("the watcher thread stopped: " + e);
      }
    } finally {
      releaseWatches();
    }
  }

  private Optional<CgroupMount> memoryMount() throws IOException {
    String content = files.readHostFile(roots.procRoot().resolve("self/mountinfo"));
    List<CgroupMount> mounts;
    try {
      mounts = CgroupMounts.find(MountinfoParser.parse(content));
    } catch (io.cgwatch.cgroupfs.parse.MalformedFileException e) {
      throw new IOException("mountinfo: " + e.getMessage(), e);
    }
    Optional<CgroupMount> v1 = mounts.stream()
        .filter(c -> c.version() == 1 && c.controllers().contains("memory") && c.fullView()).findFirst();
    return v1.isPresent() ? v1 : mounts.stream().filter(c -> c.version() == 2 && c.fullView()).findFirst();
  }

  /**
   * Registers {@code top} and every directory below it, iteratively (hostile trees can be deep); with
   * {@code announce}, each is a {@code CREATED} event. False when the watcher fell back.
   */
  private boolean registerTree(Path top, String cgroupPath, int depth, boolean announce) {
    Deque<Object[]> pending = new ArrayDeque<>();
    pending.push(new Object[] {top, cgroupPath, depth});
    while (!pending.isEmpty()) {
      Object[] p = pending.pop();
      Path fsPath = (Path) p[0];
      String path = (String) p[1];
      int d = (Integer) p[2];
      if (byPath.containsKey(path)) {
        continue; // already watched: a CREATE event for a directory the registration of its parent found
      }
      if (watchCount >= maxWatches) {
        fallBack("more than " + maxWatches + " cgroup directories to watch");
        return false;
      }
      long inode;
      ControlFiles.Listing listing;
      WatchKey key;
      try {
        // Watch first, then list: a child made between the two is in the listing or comes as an event.
        key = fsPath.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
            StandardWatchEventKinds.ENTRY_MODIFY);
        inode = files.stat(fsPath).inode();
        listing = files.list(fsPath);
      } catch (IOException e) {
        if (d > 0 && !files.isDirectory(fsPath)) { // removed before it could be watched (ENOENT, ENODEV)
          if (announce) {
            gone(fsPath, path, d); // its DELETE comes on the parent's watch
          }
          continue;
        }
        // ENOSPC from inotify_add_watch is "User limit of inotify watches reached"
        fallBack("cannot watch " + mount.mount().mountPoint() + path + ": " + ScanContext.reason(e));
        return false;
      }
      Dir dir = new Dir(fsPath, path, inode, d);
      dir.key = key;
      byKey.put(key, dir);
      byPath.put(path, dir);
      watchCount = byKey.size();
      Optional<CgroupSnapshot> now = announce ? read(dir, listing) : Optional.empty();
      if (announce) {
        emit(new CgroupEvent(clock.instant(), CgroupEvent.Kind.CREATED, mount.name(), path, inode,
            now.map(Charges::of)));
      }
      if (d >= maxDepth) {
        continue; // its children are deeper than the scan reads: not watched, not announced
      }
      for (ControlFiles.Subdirectory child : listing.subdirectories()) {
        pending.push(new Object[] {child.in(fsPath), CgroupPaths.child(path, child.name()), d + 1});
      }
    }
    return true;
  }

  private void handle(WatchKey key) {
    Dir dir = byKey.get(key);
    for (WatchEvent<?> e : key.pollEvents()) {
      if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
        fallBackForNow("inotify queue overflow: events were lost");
        return;
      }
      if (dir == null || !(e.context() instanceof Path name)) {
        continue;
      }
      String childPath = CgroupPaths.child(dir.cgroupPath, name.toString());
      if (e.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
        if (dir.depth >= maxDepth) {
          continue; // deeper than the scan reads (this watch is for the directory's own cgroup.events)
        }
        Path child = dir.fsPath.resolve(name); // the raw name from the kernel, never rebuilt from the String
        if (files.isDirectory(child)) {
          if (!registerTree(child, childPath, dir.depth + 1, true)) {
            return;
          }
        } else if (!java.nio.file.Files.exists(child, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          gone(child, childPath, dir.depth + 1);
        }
      } else if (e.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
        removed(childPath);
      } else if (e.kind() == StandardWatchEventKinds.ENTRY_MODIFY && EVENTS.equals(name.toString())
          && mount.version() == 2 && dir.depth > 0) {
        eventsChanged(dir);
      }
    }
    if (!key.reset()) { // the directory itself is gone (its parent's DELETE names it) or the key was cancelled
      byKey.remove(key);
    }
  }

  /**
   * {@code cgroup.events} changed. Read {@code populated 0} after a change means the last task left, whatever was
   * read before (a task may have come and gone between two reads): the charges now are the charges at that moment.
   */
  private void eventsChanged(Dir dir) {
    ControlFiles.Listing listing;
    try {
      listing = files.list(dir.fsPath);
    } catch (IOException e) {
      return; // vanished: its REMOVED follows
    }
    Optional<CgroupSnapshot> now = read(dir, listing);
    Optional<Boolean> populated = now.flatMap(CgroupSnapshot::populated);
    if (populated.isPresent() && !populated.get()) {
      emit(new CgroupEvent(clock.instant(), CgroupEvent.Kind.UNPOPULATED, mount.name(), dir.cgroupPath, dir.inode,
          now.map(Charges::of)));
    }
  }

  /**
   * A child made and removed before its creation could be handled (a job quicker than this thread): on cgroupfs only
   * mkdir creates an entry (control files come with their directory), so it was a cgroup. Its birth is told with
   * no inode and no charges, and its DELETE, next in the same watch, finds it.
   */
  private void gone(Path fsPath, String path, int depth) {
    byPath.put(path, new Dir(fsPath, path, -1, depth));
    emit(new CgroupEvent(clock.instant(), CgroupEvent.Kind.CREATED, mount.name(), path, -1, Optional.empty()));
  }

  private void removed(String path) {
    Dir gone = byPath.get(path);
    if (gone == null) {
      return; // a file, or a directory never watched
    }
    if (gone.key != null && stillThere(gone)) {
      // The DELETE of an older directory of that name, made again before this thread registered it: the one
      // watched is alive. That older one's end is lost; the scans count it.
      return;
    }
    byPath.remove(path);
    if (gone.key != null) {
      byKey.remove(gone.key);
      gone.key.cancel();
    }
    // rmdir needs an empty directory, but a watch may be left from a child whose DELETE came first
    byPath.keySet().removeIf(p -> p.startsWith(path + "/"));
    watchCount = byKey.size();
    emit(new CgroupEvent(clock.instant(), CgroupEvent.Kind.REMOVED, mount.name(), path, gone.inode,
        Optional.empty()));
  }

  private boolean stillThere(Dir d) {
    try {
      return files.isDirectory(d.fsPath) && files.stat(d.fsPath).inode() == d.inode;
    } catch (IOException e) {
      return false;
    }
  }

  /** The few files an event needs, read as the scan reads them; empty when the cgroup vanished. */
  private Optional<CgroupSnapshot> read(Dir dir, ControlFiles.Listing listing) {
    Set<String> wanted = mount.version() == 2 ? V2_EVENT_FILES : V1_EVENT_FILES;
    Set<String> present = new java.util.HashSet<>(listing.files());
    present.retainAll(wanted);
    CgroupDir cd = new CgroupDir(dir.fsPath, mount.mount().mountPoint(), dir.cgroupPath,
        dir.cgroupPath.substring(dir.cgroupPath.lastIndexOf('/') + 1), dir.depth, -1, dir.inode, present, listing.subdirectories().size(), 0, -1);
    ScanContext ctx = new ScanContext(files, ScanOptions.DEFAULTS); // its errors stay here: the scan reports them
    try {
      return Optional.of(mount.version() == 2 ? V2CgroupReader.read(mount.name(), cd, ctx)
          : V1MemoryCgroupReader.read(mount.name(), cd, ctx));
    } catch (CgroupVanishedException e) {
      return Optional.empty();
    }
  }

  private void emit(CgroupEvent e) {
    if (!queue.offer(e)) {
      dropped.incrementAndGet();
      fallBackForNow("more than " + queueCapacity + " events between two drains: the queue was full");
      return;
    }
    eventsTotal.computeIfAbsent(e.kind().label(), k -> new AtomicLong()).incrementAndGet();
  }

  /**
   * After an overflow or a full queue (events lost, but nothing that would recur at once): as soon as the queue has
   * room again, every watch is made anew from a fresh walk. What changed in the gap, the scans see.
   */
  private boolean rearm(Path at) throws IOException, InterruptedException {
    while (queue.size() > queueCapacity / 2) {
      Thread.sleep(REARM_POLL_MILLIS);
      if (closed) {
        return false;
      }
    }
    releaseWatches();
    service = at.getFileSystem().newWatchService();
    ready = false;
    transientFallback = false;
    fallbackActive = false;
    boolean ok = !closed && (registerTree(at, "/", 0, false) || transientFallback);
    ready = ok && !fallbackActive;
    return ok;
  }

  /** A fallback that ends by itself ({@link #rearm}): an overflow or a full queue. */
  private void fallBackForNow(String why) {
    if (!fallbackActive) {
      transientFallback = true;
    }
    fallBack(why);
  }

  private void fallBack(String why) {
    if (fallbackActive) {
      return;
    }
    fallbackReason = why;
    ready = false;
    fallbacks.incrementAndGet();
    fallbackActive = true;
  }

  private void releaseWatches() {
    WatchService ws = service;
    if (ws != null) {
      try {
        ws.close();
      } catch (IOException e) {
        // nothing more to release
      }
    }
    byKey.clear();
    byPath.clear();
    watchCount = 0;
  }
}
