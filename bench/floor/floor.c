/*
 * The file-reading floor of one cgwatch scan: replays, in C, exactly the file accesses a scan made, in the same
 * order, as recorded by io.cgwatch.bench.RecordingControlFiles (records "<op><path>\0"), and prints the wall time
 * of each replay in nanoseconds, one per line.
 *
 *   L dir   opendir + readdir to the end; fstatat each subdirectory (its inode and mtime are part of a cgroup's
 *           identity and age) and cgroup.procs when present (its mtime is the last attach); closedir.
 *           The type comes from d_type, so a plain file costs no stat: the least any program can do for the
 *           same information.
 *   R file  open, read to EOF into one reused buffer, close (a missing file: the failed open, as in the scan).
 *   S dir   lstat (a mount point's inode and mtime).     D dir  lstat (does the cgroup still exist).
 *
 * Nothing is parsed: the floor is the kernel's share of a scan, the cost no reader can go below.
 * Build: cc -O2 -o floor floor.c      Run: floor OPS_FILE REPEATS
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 16];

static int list_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d) return -1;
  int fd = dirfd(d);
  struct stat st;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' && (e->d_name[1] == 0 || (e->d_name[1] == '.' && e->d_name[2] == 0))) continue;
    if (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN || strcmp(e->d_name, "cgroup.procs") == 0) {
      if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 && errno != ENOENT) {
        closedir(d);
        return -1;
      }
    }
  }
  closedir(d);
  return 0;
}

static long read_file(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  long total = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      close(fd);
      return -1;
    }
    if (n == 0) break;
    total += n;
  }
  close(fd);
  return total;
}

/* One replay; returns bytes read, or -1 after printing what failed. */
static long replay(const char *ops, size_t len) {
  long bytes = 0;
  struct stat st;
  for (size_t i = 0; i < len;) {
    char op = ops[i];
    const char *path = ops + i + 1;
    size_t plen = strlen(path);
    long r = 0;
    switch (op) {
      case 'L': r = list_dir(path); break;
      case 'R': r = read_file(path); break;
      case 'S':
      case 'D': r = lstat(path, &st); break;
      default: fprintf(stderr, "floor: bad record '%c' at byte %zu\n", op, i); return -1;
    }
    if (r < 0 && (op == 'R' || op == 'L') && errno == ENOENT) {
      /* the scan tried it too (an optional file such as proc/cmdline, or a host's var/log/pods that a node without
         a kubelet lacks): a failed open is its cost */
      r = 0;
    } else if (r < 0) {
      fprintf(stderr, "floor: %c %s: %s\n", op, path, strerror(errno));
      return -1;
    }
    if (op == 'R') bytes += r;
    i += plen + 2;
  }
  return bytes;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: floor OPS_FILE REPEATS\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  size_t cap = 1 << 20, len = 0;
  char *ops = malloc(cap);
  for (size_t n; (n = fread(ops + len, 1, cap - len, f)) > 0;) {
    len += n;
    if (len == cap) ops = realloc(ops, cap *= 2);
  }
  fclose(f);
  if (len == 0 || ops[len - 1] != 0) {
    fprintf(stderr, "floor: %s is empty or not NUL-terminated records\n", argv[1]);
    return 2;
  }
  int reps = atoi(argv[2]);
  if (replay(ops, len) < 0) return 1; /* warm-up, untimed: same dentries and pages as the JVM's warm scans */
  for (int r = 0; r < reps; r++) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    if (replay(ops, len) < 0) return 1;
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%lld\n", (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec));
  }
  return 0;
}
