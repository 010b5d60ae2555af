#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Summaries of meson testlog.json files.

  test-summary.py LOG...            one closing line 'N passed, N failed, N skipped'
                                    (plus the tests that only passed on a re-run)
  test-summary.py --failed LOG      names of the tests that did not pass or skip
  test-summary.py --merge FIRST RETRY
                                    FIRST with RETRY's results for the re-run tests
                                    (marked as re-runs), as JSON lines on stdout
"""

import json
import sys


def read(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def short(entry):
    # meson names tests "project:suite / name"; the re-run takes the bare name
    return entry['name'].split(' / ')[-1]


def main():
    args = sys.argv[1:]
    if args and args[0] == '--failed':
        for e in read(args[1]):
            if e['result'] not in ('OK', 'SKIP'):
                print(short(e))
        return
    if args and args[0] == '--merge':
        retry = {short(e): e for e in read(args[2])}
        for e in read(args[1]):
            r = retry.get(short(e))
            if r is not None:
                r = dict(r, first_result=e['result'])
                e = r
            print(json.dumps(e))
        return
    passed = failed = skipped = 0
    flaky = []
    for path in args:
        for e in read(path):
            if e['result'] == 'OK':
                passed += 1
                if e.get('first_result') not in (None, 'OK'):
                    flaky.append(short(e))
            elif e['result'] == 'SKIP':
                skipped += 1
            else:
                failed += 1
    for name in flaky:
        print(f'FLAKY: {name} failed, then passed when re-run')
    print(f'{passed} passed, {failed} failed, {skipped} skipped')


if __name__ == '__main__':
    main()
