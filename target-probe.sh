#!/bin/bash
ip link set lo up
P=/sys/fs/cgroup/probe; mkdir $P; echo +memory > $P/cgroup.subtree_control
t0=$EPOCHREALTIME; for i in $(seq 100); do mkdir $P/c$i; done; t1=$EPOCHREALTIME
for i in $(seq 100); do rmdir $P/c$i; done; t2=$EPOCHREALTIME
echo "mkdir 100: $(echo "$t1 - $t0" | bc) s, rmdir 100: $(echo "$t2 - $t1" | bc) s"
cat /sys/fs/cgroup/cgroup.stat
for i in $(seq 100); do mkdir $P/c$i; done
t0=$EPOCHREALTIME; java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar /work/wt-7/agent/target/cgwatch.jar diagnose --samples 3 --interval 100ms > /tmp/d.txt; t1=$EPOCHREALTIME
echo "diagnose 3 samples: $(echo "$t1 - $t0" | bc) s"; tail -1 /tmp/d.txt
for i in $(seq 100); do rmdir $P/c$i; done; rmdir $P
