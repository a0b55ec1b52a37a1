#!/bin/bash
# tests/run-functional.sh VARIANT OUTDIR: run the guest-side functional tests
# (build/bin/test_*, kselftest TAP) on one kernel variant.
#
# What runs, and what each variant promises, is declared in
# host/experiment.py (TESTS).  Boots, each with its own console log under
# OUTDIR/<variant>-<boot>/:
#   4k, 2m  the variant's suite: every test program expected to pass there,
#           at 4K and at 2M alignment (PMD mappings)
#   alone-*, reboot-*  one boot per program that runs on its own, at 4K:
#           one that reconfigures the namespace (test_killed_unbind), or
#           one that must be followed by a reboot(2), which shuts the
#           devices down (test_shutdown)
#   kvm-npt0-*, kvm-npt1-*  test_kvm on QEMU's emulated SVM, kvm_amd.npt=0
#           (the shadow MMU) and npt=1: rows test@npt0, test@npt1
#   vfio-*  test_vfio on q35 with QEMU's emulated Intel IOMMU (vm.sh -I)
#   oops-*, warn-*  one boot per test case whose expected outcome on this
#           variant is a known crash of stock 6.12, with its RIP in the
#           declared function: an oops (the use-after-free of a reference
#           that outlived the unbind, the open() race) or a fatal warning
#           (the cdev's refcount underflow); not on debug builds
# Prints every test's TAP, writes its rows to OUTDIR/functional-VARIANT.csv
# (variant,test,expected,outcome,detail; host/lib.sh functional_tests merges
# them) and OUTDIR/counts-VARIANT ("passed failed").  Exit 0 when everything met its expectation.
set -eu
. "$(dirname "$0")/../host/lib.sh"

variant=${1:-}
out=${2:-}
[ -n "$variant" ] && [ -n "$out" ] || die "usage: run-functional.sh VARIANT OUTDIR"
variant_check "$variant"
mkdir -p "$out"
csv=$out/functional-$variant.csv
python3 "$TOP/host/schema.py" header functional.csv >"$csv"
passed=0 failed=0
bin=$BUILD/bin
for t in $(python3 "$EXPERIMENT" programs); do
	[ -x "$bin/$t" ] || die "missing $bin/$t (run 'make guest-bins')"
done
# test_stray_ref loads the bench module to make its stray get/put pairs
bash "$TOP/host/build-module.sh" "$variant"

row() { echo "$variant,$1,$2,$3,$(echo "$4" | tr -d ',' | cut -c1-120)" >>"$csv"; }

# built_with OPTION PROG TAG: whether this variant's kernel has OPTION=y;
# if not, PROG's row @TAG is a skip that says so.
built_with() {
	grep -qx "CONFIG_$1=y" "$KERNELS/$variant/.config" && return 0
	passed=$((passed + 1))
	row "$2@$3" skip skip "no $1=y in this kernel"
	return 1
}

# boot NAME ALIGN CMD [TAG]: one guest; its TAP is printed and counted per
# test, its rows named test@TAG (default: ALIGN).
boot() {
	local name=$1 align=$2 cmd=$3 tag=${4:-$2} dir=$out/$variant-$1 rc=0 outcome test vmres before=$((passed + failed))
	echo "# $variant/$name: booting (devdax align $align)"
	bash "$TOP/host/vm.sh" -a "$align" -t "${VM_TIMEOUT:-900}" -i 120 ${VM_OPTS:-} -o "$dir" \
		"$variant" -- "$cmd" >/dev/null 2>"$dir.err" || rc=$?
	sed -n '/^TAP version/,$p' "$dir/cmd.out" 2>/dev/null | grep -v '^guest:' || true
	while read -r outcome test; do
		case "$outcome" in
		pass) passed=$((passed + 1)) ;;
		# the test itself says it does not apply to this variant
		skip) passed=$((passed + 1))
			row "$test@$tag" skip skip ""
			continue ;;
		*) failed=$((failed + 1)) ;;
		esac
		row "$test@$tag" pass "$outcome" ""
	done < <(python3 "$TOP/host/tap.py" "$dir/cmd.out")
	vmres=$(cat "$dir/vm-result" 2>/dev/null || echo "status=none")
	case "$rc" in
	0 | 1) # a boot that reported no test at all is a failure too
		[ $((passed + failed)) != "$before" ] || {
			failed=$((failed + 1))
			echo "not ok - $variant/$name: no test reported: $(head -c 200 "$dir/cmd.out" 2>/dev/null | tr '\n' ' ')"
			row "$name-boot@$tag" pass none "no test reported"
		} ;;
	*)	# the guest died: the test that was running did not finish
		failed=$((failed + 1))
		echo "not ok - $variant/$name: guest ended badly: $(cat "$dir.err")"
		row "$name-boot@$tag" pass "$(echo "$vmres" | sed 's/status=\([a-z]*\).*/\1/')" \
			"$(echo "$vmres" | sed 's/.*reason=//')" ;;
	esac
}

# expect_oops NAME BIN FIXTURE.TEST FUNC SIGN: one test case that must end
# in a known crash of stock 6.12 with its RIP in FUNC, or in a function
# FUNC calls that the compiler did not inline (the first reliable frame of
# the call trace is FUNC: Debian's config keeps gup_folio_next() out of
# line under unpin_user_pages()): an oops (SIGN=oops;
# for test_outliving, the put of the reference that outlived the unbind) or
# a WARN that panic_on_warn makes fatal (SIGN=warning).  The kernel's own
# report is the evidence: the test's "expect an oops" line goes through a
# pipe to tee, which the panic may beat.
expect_oops() {
	local name=$1 bin=$2 test=$3 func=$4 sign=$5 dir=$out/$variant-$1 rc=0 reason rip caller where
	local want_rc=2 want_reason="unable to handle page fault|general protection fault|NULL pointer dereference|^Oops: "
	if [ "$sign" = warning ]; then
		want_rc=3 want_reason="^WARNING: "
	fi
	echo "# $variant/$name: booting, expecting the known $sign in $func"
	bash "$TOP/host/vm.sh" -a 4K -t 300 -i 120 -o "$dir" "$variant" -- \
		"DEVMAP_OPEN_CYCLES=60 build/bin/$bin -r $test" \
		>/dev/null 2>"$dir.err" || rc=$?
	reason=$(sed -n 's/.*reason=//p' "$dir/vm-result" 2>/dev/null)
	rip=$(grep -a -m1 -oE 'RIP: 0010:[A-Za-z0-9_.]+' "$dir/console.log" 2>/dev/null | cut -d: -f3)
	caller=$(awk '/Call Trace:/ {t = 1; next}
		t && !/<\/?[A-Z]+>/ {sub(/^\[[^]]*\] +/, ""); if ($1 == "?") next
			sub(/\+0x.*/, "", $1); print $1; exit}' "$dir/console.log" 2>/dev/null || true)
	where=$rip
	[ "$rip" = "$func" ] || [ "$caller" != "$func" ] || where="$rip called from $caller"
	if [ "$rc" = "$want_rc" ] && { [ "$rip" = "$func" ] || [ "$caller" = "$func" ]; } &&
		! grep -q '^not ok' "$dir/cmd.out" 2>/dev/null && echo "$reason" | grep -qE "$want_reason"; then
		passed=$((passed + 1))
		echo "ok - $variant/$test # expected $sign in $where: $reason"
		row "$test@4K" "$sign" "$sign" "$reason in $where"
	else
		failed=$((failed + 1))
		echo "not ok - $variant/$test: expected the $sign in $func, got: $(cat "$dir/vm-result" 2>/dev/null) (RIP ${rip:-none})"
		row "$test@4K" "$sign" "$(sed -n 's/^status=\([a-z]*\).*/\1/p' "$dir/vm-result" 2>/dev/null)" "$reason"
	fi
}

boot 4k 4K "$(python3 "$EXPERIMENT" suite "$variant" 4K)"
while read -r name prog test func sign; do
	expect_oops "$name" "$prog" "$test" "$func" "$sign"
done < <(python3 "$EXPERIMENT" oopses "$variant")
boot 2m 2M "$(python3 "$EXPERIMENT" suite "$variant" 2M)"
# programs in a boot of their own; a reboot(2) must get past any unbind
# still waiting: 5 min at most
while read -r prog how; do
	case $how in
	reboot)	VM_OPTS="-R -t 300" boot "reboot-$prog" 4K "build/bin/$prog" ;;
	kvm)	if built_with KVM_AMD "$prog" npt0; then
			for npt in 0 1; do
				VM_OPTS="-C qemu64,+svm,+npt -A kvm_amd.npt=$npt" \
					boot "kvm-npt$npt-$prog" 4K "build/bin/$prog" "npt$npt"
			done
		fi ;;
	vfio)	if built_with VFIO_PCI "$prog" 4K; then
			VM_OPTS="-I" boot "vfio-$prog" 4K "build/bin/$prog"
		fi ;;
	*)	boot "alone-$prog" 4K "build/bin/$prog" ;;
	esac
done < <(python3 "$EXPERIMENT" own-boots "$variant")

echo "$passed $failed" >"$out/counts-$variant"
echo "# $variant: $passed passed, $failed failed"
[ "$failed" = 0 ]
