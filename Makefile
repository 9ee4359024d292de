# hfx build. `make` builds build/hfx; `make check` installs what is missing,
# builds with sanitizers and runs every test; `make run` runs the main job;
# `make bench` and `make fuzz` measure and fuzz.
#
# Layout: every src/<domain>/*.c is part of libhfx; src/main.c is the program.
# Unit tests are tests/<domain>/test_*.c (cmocka), one binary each, linked
# against libhfx. Integration tests are tests/**/*.sh, run against the real
# binary. Fuzz targets are fuzz/fuzz_*.c (libFuzzer, clang).

PKGS     := sqlite3 jansson libcurl libarchive libcrypto libxml-2.0
CC       ?= cc
CSTD     := -std=c11 -D_GNU_SOURCE
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

LIB_SRC  := $(sort $(wildcard src/*/*.c))
TEST_SRC := $(sort $(wildcard tests/*/test_*.c))
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))

# Two variants: release (build/) and checked (build/check/, ASan + UBSan).
REL_CFLAGS := $(CSTD) $(WARN) -O2 -g -Isrc $(PKG_CFLAGS)
CHK_CFLAGS := $(CSTD) $(WARN) -O1 -g -Isrc $(PKG_CFLAGS) \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CHK_LDFLAGS := -fsanitize=address,undefined

REL_OBJ := $(LIB_SRC:src/%.c=build/obj/%.o)
CHK_OBJ := $(LIB_SRC:src/%.c=build/check/obj/%.o)
CHK_TESTS := $(TEST_SRC:tests/%.c=build/check/tests/%)

.PHONY: all deps run check unit integration bench fuzz clean lint docs e2e install

all: build/hfx

deps:
	@sh scripts/install-deps.sh

build/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -MMD -MP -c $< -o $@

build/check/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CHK_CFLAGS) -MMD -MP -c $< -o $@

build/libhfx.a: $(REL_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/check/libhfx.a: $(CHK_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/hfx: src/main.c build/libhfx.a
	$(CC) $(REL_CFLAGS) $< build/libhfx.a $(PKG_LIBS) -o $@

build/check/hfx: src/main.c build/check/libhfx.a
	$(CC) $(CHK_CFLAGS) $< build/check/libhfx.a $(CHK_LDFLAGS) $(PKG_LIBS) -o $@

build/check/tests/%: tests/%.c build/check/libhfx.a
	@mkdir -p $(dir $@)
	$(CC) $(CHK_CFLAGS) -Itests $< build/check/libhfx.a $(CHK_LDFLAGS) $(CMOCKA_LIBS) $(PKG_LIBS) -o $@

# The main job on this machine. Without HFX_MIRROR and network access the
# feeds cannot be fetched; the shared test mirror is used when it exists.
run: deps build/hfx
	@sh scripts/run.sh

check: deps lint build/hfx build/check/hfx $(CHK_TESTS)
	@sh tests/run.sh

# The end-to-end deployment tests alone (make check runs them too).
e2e: deps build/check/hfx
	@for t in tests/deploy/*_test.sh; do echo "=== $$t"; HFX_BIN=$(CURDIR)/build/check/hfx sh $$t || exit 1; done

lint:
	@sh scripts/lint.sh

bench: deps build/hfx build/bench_core build/bench_inventory build/bench_rank
	@sh bench/bench.sh

build/bench_%: bench/bench_%.c build/libhfx.a
	$(CC) $(REL_CFLAGS) $< build/libhfx.a $(PKG_LIBS) -o $@

# libFuzzer targets, built with clang against one instrumented copy of
# libhfx; each runs FUZZ_SECONDS.
FUZZ_SECONDS ?= 30
FUZZ_SAN := address,undefined
FUZZ_CFLAGS := $(CSTD) -O1 -g -Isrc $(PKG_CFLAGS) -fno-sanitize-recover=all
FUZZ_OBJ := $(LIB_SRC:src/%.c=build/fuzz/obj/%.o)
FUZZ_BINS := $(FUZZ_SRC:fuzz/%.c=build/fuzz/%)

build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -MMD -MP -c $< -o $@

build/fuzz/libhfx.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/fuzz/%: fuzz/%.c build/fuzz/libhfx.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) $< build/fuzz/libhfx.a $(PKG_LIBS) -o $@

fuzz: deps $(FUZZ_BINS)
	@sh fuzz/run.sh $(FUZZ_SECONDS)

# The program, its documentation, the example policy and the systemd units
# (contrib/systemd: hfx-watch.service, or hfx-cycle.timer with its service).
PREFIX ?= /usr/local
install: build/hfx
	install -D -m 755 build/hfx $(DESTDIR)$(PREFIX)/bin/hfx
	install -d $(DESTDIR)$(PREFIX)/share/doc/hfx $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 644 README.md docs/*.md contrib/hfx.conf $(DESTDIR)$(PREFIX)/share/doc/hfx/
	for u in hfx-watch.service hfx-cycle.service hfx-cycle.timer; do \
		sed 's|/usr/local|$(PREFIX)|g' contrib/systemd/$$u \
			>$(DESTDIR)$(PREFIX)/lib/systemd/system/$$u || exit 1; done

clean:
	rm -rf build

-include $(REL_OBJ:.o=.d) $(CHK_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)
