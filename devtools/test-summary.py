#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Print one closing line 'N passed, N failed, N skipped' over one or more
meson testlog.json files."""

import json
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    with open(path, encoding='utf-8') as f:
        for line in f:
            result = json.loads(line)['result']
            if result == 'OK':
                passed += 1
            elif result == 'SKIP':
                skipped += 1
            else:
                failed += 1
print(f'{passed} passed, {failed} failed, {skipped} skipped')
