#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Print 'suite name needs_hugepages' for every REGISTER_FAST_TEST and
REGISTER_PERF_TEST in the given sources, one per line."""

import re
import sys

FAST = re.compile(r'^REGISTER_FAST_TEST\(\s*(\w+)\s*,\s*(\w+)\s*,\s*(\w+)\s*,', re.M)
PERF = re.compile(r'^REGISTER_PERF_TEST\(\s*(\w+)\s*,', re.M)

for path in sys.argv[1:]:
    with open(path, encoding='utf-8') as f:
        text = f.read()
    for name, nohuge, asan in FAST.findall(text):
        print('fast', name, 'no' if nohuge == 'NOHUGE_OK' else 'yes',
              'yes' if asan == 'ASAN_OK' else 'no')
    for name in PERF.findall(text):
        print('perf', name, 'yes', 'yes')
