#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Checks to run before committing or integrating a branch:
#  1. clang-format on the C files changed since BASE (report only: the
#     .clang-format file approximates the style, it does not define it),
#  2. a -Werror build in a scratch build directory,
#  3. `duplicates --change --base BASE`: what the change wrote twice.
#
# usage: devtools/check.sh [BASE]     (BASE defaults to main, else HEAD)
# Exit status: non-zero if the build fails; formatting and duplicates
# are printed for a human to judge.

set -u
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel) || exit 1
cd "$root" || exit 1
base=${1:-}
if [ -z "$base" ]; then
	if git rev-parse -q --verify main >/dev/null; then base=main; else base=HEAD; fi
fi
status=0

changed_c_files() {
	{
		git diff --name-only --diff-filter=ACMR "$base" -- '*.c' '*.h'
		git ls-files --others --exclude-standard -- '*.c' '*.h'
	} | sort -u
}

echo "== clang-format (report only) on files changed since $base"
if command -v clang-format >/dev/null 2>&1; then
	files=$(changed_c_files)
	if [ -z "$files" ]; then
		echo "no changed C files"
	fi
	for f in $files; do
		[ -f "$f" ] || continue
		n=$(clang-format --dry-run "$f" 2>&1 | grep -c 'warning:')
		[ "$n" -gt 0 ] && echo "$f: $n places clang-format would change"
	done
else
	echo "clang-format not installed: skipped"
fi

echo "== -Werror build"
build=$(mktemp -d /tmp/check-build.XXXXXX)
if meson setup "$build" -Dwerror=true >"$build.log" 2>&1 && ninja -C "$build" >>"$build.log" 2>&1
then
	echo "build OK"
else
	grep -E 'error|warning' "$build.log" | head -40
	echo "build FAILED (full log: $build.log)"
	status=1
fi
[ $status -eq 0 ] && rm -rf "$build" "$build.log"

echo "== duplicates --change --base $base"
if command -v duplicates >/dev/null 2>&1; then
	duplicates --change --base "$base"
else
	echo "duplicates not installed: skipped"
fi
exit $status
