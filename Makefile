# SPDX-License-Identifier: GPL-2.0
#
# ioview: typed, projected I/O views for Linux PCI drivers in C++.
#
#   make            build ioview.ko for every supported kernel, check it, build ioviewctl
#   make check      run every test; ends with "N passed, N failed"
#   make run        boot a VM with edu + ivshmem, load the module, show it working
#   make shell      the same VM, interactive (module loaded)
#   make bench      print the benchmark figures
#   make docs       the API reference of include/ioview (doxygen) in build/docs/html/
#   make deps       install what the above need (Debian packages, kernels under build/)
#   make install-kbuild   the Kbuild glue and the view library, for other modules:
#                   $(DESTDIR)$(PREFIX)/share/ioview/{kbuild,include} (PREFIX=/usr/local)
#   make install-dkms     ioview.ko's sources for DKMS: $(DESTDIR)/usr/src/ioview-$(IOVIEW_VERSION)
#
#   make KDIR=/lib/modules/$(uname -r)/build    build against one other kernel tree
#                   (build/kmod/<its release>/kmod/ioview.ko)
#
#   make install    ioviewctl, ioviewctl(8), the headers and ioview.pc under
#                   DESTDIR + PREFIX (/usr/local); make uninstall removes them
#   make modules_install   the kernel's modules_install, once per release:
#                   INSTALL_MOD_PATH (else DESTDIR)/lib/modules/<release>/updates/kmod/;
#                   depmod is left to the caller
#
# The raw Kbuild way works too: make -C <kernel build dir> M=$PWD

IOVIEW_VERSION := 0.1.0
B := build
RELEASES_FILE := $(B)/kernels/releases

ifdef KDIR
# Named by the tree's own release, never by its path: /lib/modules/<release>/build
# is a link to /usr/src/linux-headers-<release> on Debian, a kernel source tree
# anywhere at all.
RELEASES := $(shell kmod/scripts/kernel-release.sh $(KDIR))
$(if $(RELEASES),,$(error KDIR=$(KDIR): no kernel release to build for))
kdir_of = $(KDIR)
else
RELEASES := $(shell cat $(RELEASES_FILE) 2>/dev/null)
kdir_of = $(B)/kernels/$(1)/build
endif
# The kernel `make run` and `make shell` boot; the first is bookworm's own.
KERNEL ?= $(firstword $(RELEASES))

# ---- installing (DESTDIR stages, PREFIX is where the files will live)
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
# The library is header-only, the same on every architecture: share/, not lib/.
PKGCONFIGDIR ?= $(PREFIX)/share/pkgconfig

# The library with its doc/ (the headers point there), and the UAPI header where
# headers_install puts a family's header: <linux/ioview.h>, as its guard says.
LIBRARY_FILES := $(shell find include/ioview -type f | sort)
INSTALLED_FILES := $(BINDIR)/ioviewctl $(MANDIR)/man8/ioviewctl.8 \
	$(LIBRARY_FILES:include/%=$(INCLUDEDIR)/%) $(INCLUDEDIR)/linux/ioview.h $(PKGCONFIGDIR)/ioview.pc

deps_ready := $(shell tests/deps.sh --check >/dev/null 2>&1 && echo y)

.PHONY: all modules modcheck vmplants glue examples user check run shell bench docs deps clean distclean
.PHONY: install install-ioviewctl install-headers install-pkgconfig install-man uninstall modules_install
.PHONY: install-kbuild install-dkms

ifeq ($(KDIR)$(deps_ready),)
# A fresh machine: install first, then do what was asked (without make's
# "Leaving directory" after check's closing "N passed, N failed" line).
all modules modcheck vmplants examples user check run shell bench docs install install-ioviewctl modules_install:
	$(MAKE) --no-print-directory deps
	$(MAKE) --no-print-directory $@
else

all: modules modcheck vmplants examples user

# ---- the module, once per kernel, each in its own tree under build/kmod/
modules: $(addprefix module-,$(RELEASES))
modcheck: $(addprefix modcheck-,$(RELEASES))

module-%: FORCE
	kmod/scripts/build-module.sh $(call kdir_of,$*) $(B)/kmod/$* kmod

# The module check reruns only when the module or the checker changed.
modcheck-%: module-%
	@$(MAKE) --no-print-directory $(B)/kmod/$*/modcheck.ok

$(B)/kmod/%/modcheck.ok: $(B)/kmod/%/kmod/ioview.ko kmod/kbuild/check-module.sh
	kmod/kbuild/check-module.sh $<
	@touch $@

# ---- the debug kernel's fault plants (tests/vm/plants, loaded by the
# 80-faults VM case), for the kernels that have KASAN only
vmplants: $(addprefix vmplants-,$(RELEASES))

vmplants-%: FORCE
	@if grep -qx 'CONFIG_KASAN=y' $(call kdir_of,$*)/.config; then \
		kmod/scripts/build-module.sh $(call kdir_of,$*) $(B)/vmplants/$* tests/vm/plants && \
		kmod/kbuild/check-module.sh $(B)/vmplants/$*/tests/vm/plants/ioview_faults.ko; \
	fi

# ---- the example driver (tests/example-driver, loaded by the VM case
# 22-example-driver), built out of this tree against the glue as
# install-kbuild installs it, in build/glue/
examples: $(addprefix example-,$(RELEASES))

glue: FORCE
	@rm -rf $(B)/glue && kmod/scripts/install.sh kbuild $(B)/glue

example-%: glue
	@mkdir -p $(B)/example-driver/$* && cp -p tests/example-driver/* $(B)/example-driver/$*/
	$(MAKE) -C $(call kdir_of,$*) M=$(abspath $(B)/example-driver/$*) IOVIEW_DIR=$(abspath $(B)/glue) modules
	$(B)/glue/kbuild/check-module.sh $(B)/example-driver/$*/edu_example.ko $(call kdir_of,$*)

# ---- userspace
USER_CXXFLAGS := -std=gnu++20 -O2 -g -Wall -Wextra -Werror -Iinclude \
	-DIOVIEW_VERSION='"$(IOVIEW_VERSION)"' $(shell pkg-config --cflags libnl-genl-3.0)
USER_LDLIBS := $(shell pkg-config --libs libnl-genl-3.0 libpci)

user: $(B)/user/ioviewctl $(B)/user/mailbox-peer $(B)/user/nlbench $(B)/user/nlfuzz $(B)/user/nlstress

# ioviewctl: main in user/ioviewctl.cpp, the parts in user/ctl/ (also linked by tests/user/ctl).
CTL_SOURCES := $(sort $(wildcard user/ctl/*.cpp))
CTL_OBJECTS := $(patsubst user/%.cpp,$(B)/user/%.o,$(CTL_SOURCES))

$(B)/user/ctl/%.o: user/ctl/%.cpp Makefile
	@mkdir -p $(@D)
	g++ $(USER_CXXFLAGS) -Iuser -MMD -MP -c -o $@ $<

$(B)/user/ioviewctl.o: user/ioviewctl.cpp Makefile
	@mkdir -p $(@D)
	g++ $(USER_CXXFLAGS) -Iuser -MMD -MP -c -o $@ $<

$(B)/user/ioviewctl: $(B)/user/ioviewctl.o $(CTL_OBJECTS)
	g++ -o $@ $^ $(USER_LDLIBS)

-include $(B)/user/ioviewctl.d $(CTL_OBJECTS:.o=.d)

# The netlink benchmark and dump probe (run in the VM by 50-bench), over ioviewctl's own parts.
$(B)/user/nlbench.o: tests/bench/netlink/nlbench.cpp Makefile
	@mkdir -p $(@D)
	g++ $(USER_CXXFLAGS) -Iuser -MMD -MP -c -o $@ $<

$(B)/user/nlbench: $(B)/user/nlbench.o $(CTL_OBJECTS)
	g++ -o $@ $^ $(USER_LDLIBS) -pthread

-include $(B)/user/nlbench.d

# The netlink fuzzer (run in the VM by 85-fuzz): raw messages, libnl only to resolve the family.
$(B)/user/nlfuzz: tests/fuzz/netlink/nlfuzz.cpp Makefile
	@mkdir -p $(@D)
	g++ $(USER_CXXFLAGS) -MMD -MP -o $@ $< $(USER_LDLIBS)

-include $(B)/user/nlfuzz.d

# The concurrency test (run in the VM by 75-concurrency): clients on their own sessions, over the same parts.
$(B)/user/nlstress.o: tests/stress/netlink/nlstress.cpp Makefile
	@mkdir -p $(@D)
	g++ $(USER_CXXFLAGS) -Iuser -MMD -MP -c -o $@ $<

$(B)/user/nlstress: $(B)/user/nlstress.o $(CTL_OBJECTS)
	g++ -o $@ $^ $(USER_LDLIBS) -pthread

-include $(B)/user/nlstress.d

# The host side of the ivshmem mailbox, built from the guest driver's own kmod/ headers.
$(B)/user/mailbox-peer: user/mailbox-peer.cpp Makefile
	@mkdir -p $(@D)
	g++ $(USER_CXXFLAGS) -Ikmod -MMD -MP -o $@ $<

-include $(B)/user/mailbox-peer.d

# More parts join with a line of their own: "install: install-PART".
install: install-ioviewctl install-headers install-pkgconfig install-man install-kbuild

install-ioviewctl: $(B)/user/ioviewctl
	install -D -m 0755 $< $(DESTDIR)$(BINDIR)/ioviewctl

install-man: user/ioviewctl.8
	install -D -m 0644 $< $(DESTDIR)$(MANDIR)/man8/ioviewctl.8

install-headers: $(LIBRARY_FILES) include/uapi/ioview.h
	@set -e; for f in $(LIBRARY_FILES); do \
		echo "install -D -m 0644 $$f $(DESTDIR)$(INCLUDEDIR)/$${f#include/}"; \
		install -D -m 0644 $$f $(DESTDIR)$(INCLUDEDIR)/$${f#include/}; \
	done
	install -D -m 0644 include/uapi/ioview.h $(DESTDIR)$(INCLUDEDIR)/linux/ioview.h

# Generated here, as the prefix is only known now.
install-pkgconfig: user/ioview.pc.in
	@mkdir -p $(DESTDIR)$(PKGCONFIGDIR)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@INCLUDEDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))|' \
		-e 's|@VERSION@|$(IOVIEW_VERSION)|' user/ioview.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/ioview.pc

# ---- the module, installed by each kernel's own modules_install (signing,
# stripping, compression as that kernel does them) under updates/, which depmod
# searches before the kernel's own modules.  Never depmod: DEPMOD=true
# (6.1 takes it as a make variable, 6.12 from the environment); the caller runs
# depmod for the tree it installed into.
INSTALL_MOD_PATH ?= $(DESTDIR)
INSTALL_MOD_DIR ?= updates

modules_install: $(addprefix modules_install-,$(RELEASES))
	@$(foreach r,$(RELEASES),echo "modules_install: now run: depmod$(if $(INSTALL_MOD_PATH), -b $(abspath $(INSTALL_MOD_PATH))) $(r)";)

modules_install-%: modcheck-%
	$(MAKE) -C $(call kdir_of,$*) M=$(abspath $(B)/kmod/$*) modules_install \
		INSTALL_MOD_PATH=$(abspath $(INSTALL_MOD_PATH)) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) DEPMOD=true

# ---- tests and demos
check: all
	tests/check.sh $(RELEASES)

run: all
	tests/vm/run.sh $(KERNEL) demo

shell: all
	tests/vm/run.sh $(KERNEL) shell

bench: all
	tests/bench/run.sh

# The API reference; any doxygen warning fails it (include/ioview/doc/Doxyfile).
docs:
	@mkdir -p $(B)/docs
	doxygen include/ioview/doc/Doxyfile
	@echo "build/docs/html/index.html"

endif

deps:
	tests/deps.sh

# Removes what install put there, then the library's folders if nothing else is in them.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED_FILES))
	[ ! -d $(DESTDIR)$(INCLUDEDIR)/ioview ] || find $(DESTDIR)$(INCLUDEDIR)/ioview -depth -type d -empty -delete
	rm -rf $(DESTDIR)$(PREFIX)/share/ioview

DKMS_SOURCE_DIR ?= /usr/src

# The Kbuild glue and the view library, for other modules (kmod/kbuild/README.md).
install-kbuild:
	kmod/scripts/install.sh kbuild $(DESTDIR)$(PREFIX)/share/ioview

install-dkms:
	kmod/scripts/install.sh dkms $(DESTDIR)$(DKMS_SOURCE_DIR)/ioview-$(IOVIEW_VERSION)

# Keeps the downloaded kernels; distclean drops them too.
clean:
	rm -rf $(B)/kmod $(B)/vmplants $(B)/glue $(B)/example-driver $(B)/user $(B)/user-ctl $(B)/vm $(B)/results $(B)/unit $(B)/compile-fail $(B)/bench $(B)/modcheck $(B)/docs $(B)/docs-check

distclean:
	rm -rf $(B)

FORCE:
