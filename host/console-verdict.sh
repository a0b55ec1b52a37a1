#!/bin/bash
# host/console-verdict.sh CONSOLE: what a guest's console log says about
# its kernel, one line: "warning <report>", "crash <report>", or nothing.
#
# Only kernel lines count (they carry a printk timestamp): user programs
# such as bpftrace print their own "WARNING:"s on the console too.  A
# kernel line may start mid-line: a test's last words, still going through
# its pipe when the kernel dies, can precede it on the same console line.  Every
# kernel "WARNING:" counts: WARN() prints "WARNING: CPU: ...", lockdep and
# RCU lockdep print "WARNING: <what>" and do not panic.  A warning-class
# report wins over the panic that panic_on_warn turns it into.
set -eu
con=${1:?usage: console-verdict.sh CONSOLE}
[ -r "$con" ] || { echo "error: cannot read $con" >&2; exit 1; }

# first kernel line matching the pattern, from its timestamp on, without it
first() {
	grep -m1 -aoE "\[ *[0-9]+\.[0-9]+\] ($1).*" "$con" | tr -d '\r' |
		sed 's/^\[[ 0-9.]*\] //'
}

report=$(first 'WARNING:|BUG: KASAN|UBSAN:|INFO: ')
if [ -n "$report" ]; then
	echo "warning $report"
	exit 0
fi
report=$(first 'BUG:|Oops:|general protection fault|Kernel panic')
[ -z "$report" ] || echo "crash $report"
