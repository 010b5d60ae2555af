#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write a linker version script from the RTE_EXPORT_SYMBOL(name) markers
found in the given C sources, so that only marked symbols leave a library."""

import re
import sys

MARKER = re.compile(r'^\s*RTE_EXPORT_SYMBOL\((\w+)\)', re.MULTILINE)


def main():
    out, sources = sys.argv[1], sys.argv[2:]
    names = set()
    for path in sources:
        with open(path, encoding='utf-8') as f:
            names.update(MARKER.findall(f.read()))
    with open(out, 'w', encoding='utf-8') as f:
        f.write('DPDK_23 {\n\tglobal:\n\n')
        for name in sorted(names):
            f.write(f'\t{name};\n')
        f.write('\n\tlocal: *;\n};\n')


if __name__ == '__main__':
    main()
