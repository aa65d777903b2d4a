#!/usr/bin/env python3
"""Makes a chain of DEPTH nested directories named NAME under ROOT with openat (the full path is far beyond
PATH_MAX, so no single path can name the bottom). Usage: deep_chain.py ROOT DEPTH NAME"""
import os
import sys

root, depth, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
for _ in range(depth):
    os.mkdir(name, dir_fd=fd)
    nfd = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
    os.close(fd)
    fd = nfd
os.close(fd)
