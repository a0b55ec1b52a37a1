# Makefile: the single entry point.  The pipeline, in order:
#   deps -> source (packaged 6.12 + patched tree) -> kernels (baseline,
#   coarse, fine) -> guest binaries -> functional tests / benchmark matrix
#   (QEMU guests) -> report (REPORT.md, plots/, cover letter numbers).
# 'make' runs all of it; 'make test' checks all of it.  'make help' lists
# the targets.  Everything generated lives in build/ (git-ignored).

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD := $(TOP)/build
KSRC := $(BUILD)/src/linux-pristine
# The variants are declared in host/experiment.py; asked when a recipe runs,
# after 'deps' has installed python3.
# CONFIG=name: the kernels of another config of host/experiment.py CONFIGS
# (distro: Debian's own), for kernels, bench-module and bench.
CONFIG ?=
export CONFIG
# ONLY="v ...": only these variants (by variant name) of the config, for
# kernels, bench-module and bench
ONLY ?=
export ONLY
# CMD (make vm): one shell line for the guest, handed to vm.sh as one word
export CMD
VARIANTS = $$(python3 host/experiment.py variants $(if $(CONFIG),--config=$(CONFIG)) \
	$(if $(ONLY),--only="$(ONLY)"))
# default: the variant with a get/put hook (host/experiment.py)
VARIANT ?= $$(python3 host/experiment.py variants --hooked)
QUICK ?= 0
RUN ?=

# Guest programs (tests/guest/, bench/), each linked with guest/lib/devdax.c.
CFLAGS := -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -Iguest/lib -I$(KSRC)/mm \
	-isystem $(KSRC)/tools/testing/selftests
GUEST_TESTS := $(patsubst tests/guest/%.c,$(BUILD)/bin/%,$(wildcard tests/guest/test_*.c))
BENCH_BINS := $(addprefix $(BUILD)/bin/,hotpath workloads gup_bench unbind_latency)

.PHONY: all help deps source kernels kernel guest-bins bench-module vm \
	check-series check-bisect test test-full test-debug bench before report cover clean distclean

all: deps kernels bench report cover

help:
	@echo "make                 everything: deps, the kernels, benchmark matrix, REPORT.md,"
	@echo "                     cover letter numbers"
	@echo "make test            all checks, ends with 'N passed, N failed'"
	@echo "make deps            install missing Debian packages (apt-get, as root)"
	@echo "make source          unpack linux-source-6.12, make the patched git tree"
	@echo "make kernels         build each variant ($(VARIANTS)) into build/kernels/"
	@echo "                     (CONFIG=distro: Debian's config, $$(python3 host/experiment.py variants --config=distro))"
	@echo "                     (ONLY=\"baseline fine\": some variants, for kernels, bench-module, bench)"
	@echo "make kernel VARIANT=v  build one: $(VARIANTS) $$(python3 host/experiment.py variants --debug)"
	@echo "make vm VARIANT=v    boot a guest with /dev/dax0.0 and get a shell"
	@echo "                     (CMD='...' runs a command instead, ALIGN=2M for PMDs,"
	@echo "                     CLOCK=icount on QEMU's instruction counter)"
	@echo "make check-series    series applies with git am; checkpatch --strict; busy offered"
	@echo "                     on x86_64 only (Kconfig of 5 architectures)"
	@echo "make check-bisect    every patch builds on its own (full vmlinux builds)"
	@echo "make test-full       make test, and every patch of the series builds on its own"
	@echo "make test-debug      race tests on KASAN/lockdep/DEBUG_VM builds"
	@echo "make bench [QUICK=1] the benchmark matrix into build/runs/<time>/, JOBS guests"
	@echo "                     side by side (default: one per core; JOBS=\"1 2\": per trial)"
	@echo "                     (CLOCK=icount, the default: guest ns are instructions;"
	@echo "                     CLOCK=wall: the host's time)"
	@echo "make report [RUN=d]  REPORT.md and plots/ (their data in plots/data/) from the"
	@echo "                     newest (or given) run; the run folder is only read"
	@echo "make cover [RUN=d]   the cover letter's numbers block from the same run"
	@echo "make before REV=r    fine of the series at git revision r (RUN=d, LABEL=l),"
	@echo "                     measured into the run's before/ for the report"
	@echo "make clean           remove kernels, binaries, guest runs (keep source, ccache)"
	@echo "make distclean       remove build/ entirely"

deps:
	@bash host/deps.sh

source: deps
	@bash host/source.sh

kernels: source
	@vs=$(VARIANTS) && for v in $$vs; do bash host/build-kernel.sh $$v || exit 1; done

kernel: source
	@bash host/build-kernel.sh $(VARIANT)

$(BUILD)/bin/%: tests/guest/%.c guest/lib/devdax.c guest/lib/devdax.h bench/module/devmap_bench.h | source
	@mkdir -p $(@D)
	gcc $(CFLAGS) -Ibench/module -o $@ $< guest/lib/devdax.c

$(BUILD)/bin/%: bench/%.c guest/lib/devdax.c guest/lib/devdax.h bench/module/devmap_bench.h | source
	@mkdir -p $(@D)
	gcc $(CFLAGS) -Ibench/module -o $@ $< guest/lib/devdax.c

guest-bins: $(GUEST_TESTS) $(BENCH_BINS)

# The in-kernel microbenchmark, built against each variant it runs on.
bench-module: kernels
	@vs=$(VARIANTS) && for v in $$vs; do bash host/build-module.sh $$v || exit 1; done

vm: guest-bins
	@bash host/vm.sh -a $(or $(ALIGN),4K) -c $(or $(CLOCK),wall) $(VARIANT) $(if $(CMD),-- "$$CMD")

check-series: source
	@bash host/check-series.sh

check-bisect: source
	@bash host/check-bisect.sh $(if $(filter 1,$(QUICK)),--quick)

test: deps
	@bash tests/run-all.sh

# make test and the per-patch builds of the series (check-bisect --quick)
test-full: deps
	@FULL=1 bash tests/run-all.sh

test-debug: source guest-bins
	@bash tests/run-debug.sh

bench: kernels guest-bins bench-module
	@CLOCK=$(or $(CLOCK),icount) bash bench/host/run-matrix.sh $(if $(filter 1,$(QUICK)),--quick)

before: guest-bins
	@[ -n "$(REV)" ] || { echo "error: make before needs REV=<git revision>" >&2; exit 1; }
	@LABEL="$(LABEL)" bash bench/host/measure-before.sh $(REV) "$(LATEST_RUN)"

LATEST_RUN = $(or $(RUN),$$(python3 host/report.py --latest-run $(BUILD)/runs))

report:
	@python3 host/report.py "$(LATEST_RUN)" --out REPORT.md --plots-dir plots

# The cover letter is tracked source: its numbers block is rewritten only here.
cover:
	@python3 host/report.py "$(LATEST_RUN)" --cover kernel-patches/0000-cover-letter.patch

clean:
	rm -rf $(BUILD)/kernels $(BUILD)/bin $(BUILD)/vm $(BUILD)/bisect $(BUILD)/test

distclean:
	rm -rf $(BUILD)
