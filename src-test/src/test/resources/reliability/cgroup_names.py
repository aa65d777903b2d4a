#!/usr/bin/env python3
"""Makes or removes cgroup directories whose names are raw bytes (invalid UTF-8 included), which Java cannot
name. Usage: cgroup_names.py mkdir|rmdir PARENT HEXNAME...  (PARENT is created first / removed last)."""
import os
import sys

action, parent = sys.argv[1], os.fsencode(sys.argv[2])
names = [bytes.fromhex(h) for h in sys.argv[3:]]
if action == "mkdir":
    os.mkdir(parent)
    for n in names:
        os.mkdir(os.path.join(parent, n))
elif action == "rmdir":
    failed = 0
    for n in names:
        try:
            os.rmdir(os.path.join(parent, n))
        except FileNotFoundError:
            pass
        except OSError as e:
            failed += 1
            print("cannot remove", os.path.join(parent, n), e, file=sys.stderr)
    try:
        os.rmdir(parent)
    except FileNotFoundError:
        pass
    sys.exit(1 if failed else 0)
else:
    sys.exit("unknown action " + action)
