# SPDX-License-Identifier: GPL-2.0
#
# Kbuild rule for C++ objects (%.cpp -> %.o), included by a Kbuild file.
#
# The flags are the kernel's own (KBUILD_CPPFLAGS, KBUILD_CFLAGS,
# KBUILD_CFLAGS_MODULE, CFLAGS_MODULE) minus what g++ rejects for C++, as
# probed by scripts/cxx-flags.sh, plus the kernel's per-object
# instrumentation (KASAN, UBSAN, KCOV, KCSAN, ...) exactly where a C object
# of the same name would get it, plus the C++ subset the kernel can host.
# The command goes through if_changed_rule and fixdep exactly like a C
# object: the .cmd file records the command line and every header, so a
# flag change or a touched header rebuilds what it must and nothing else.
#
# Per-object extras: CXXFLAGS_<stem>.o := ...
#
# Debug info of C++ objects goes to split .dwo files next to the objects:
# pahole 1.24 (bookworm) cannot encode C++ DWARF (reference types) into the
# module's BTF and would fail the link; the .ko keeps skeleton units that
# point debuggers at the .dwo files.

ioview_cxx_dir := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

CXX := $(subst gcc,g++,$(CC))

# Probed once, on first use: Kbuild also parses this file for "clean" and
# for modpost, where the kernel flags are incomplete and no C++ is built.
ioview_cxx_kflags = $(eval ioview_cxx_kflags := $$(call ioview_cxx_probe))$(ioview_cxx_kflags)

ioview_cxx_base = $(KBUILD_CPPFLAGS) $(KBUILD_CFLAGS) $(KBUILD_CFLAGS_MODULE) $(CFLAGS_MODULE)

# The sanitizers and coverage reach a C object through scripts/Makefile.lib's
# per-object _c_flags (CFLAGS_KASAN, CFLAGS_UBSAN, ... added unless the
# object or its directory opts out), never through KBUILD_CFLAGS.  A second
# probe sees every set the tree configured on top of the base flags, and
# each of their flags must survive it: an uninstrumented C++ object on a
# sanitizer kernel is the silent downgrade this build refuses.  All empty on
# a kernel without them (Debian's), where nothing is added.
ioview_cxx_instr_sets := KASAN KASAN_NOSANITIZE UBSAN UBSAN_SIGNED_WRAP KCOV KCSAN KMSAN GCOV
ioview_cxx_instr_all = $(foreach s,$(ioview_cxx_instr_sets),$(CFLAGS_$(s)))

ioview_cxx_probe = $(call ioview_cxx_checked,$(shell $(CONFIG_SHELL) \
	$(ioview_cxx_dir)/scripts/cxx-flags.sh $(CXX) $(ioview_cxx_base)))

# Checked once, like the base flags; the sets themselves are added per object.
ioview_cxx_instr_checked = $(eval ioview_cxx_instr_checked := $$(if $$(strip $$(ioview_cxx_instr_all)),\
	$$(call ioview_cxx_checked,$$(shell IOVIEW_CXX_MUST_KEEP='$$(ioview_cxx_instr_all)' \
	$$(CONFIG_SHELL) $$(ioview_cxx_dir)/scripts/cxx-flags.sh $$(CXX) \
	$$(ioview_cxx_base) $$(ioview_cxx_instr_all)))))$(ioview_cxx_instr_checked)

# A word of set S that the base flags lack: if Makefile.lib put it in the
# C flags of this object's name, it gave this object set S.
ioview_cxx_marker = $(firstword $(filter-out $(ioview_cxx_base),$(CFLAGS_$(1))))

# The instrumentation of the C++ object $@ is what Makefile.lib's _c_flags
# (evaluated for $@, with its KASAN_SANITIZE_obj.o, KASAN_SANITIZE, ...
# decision, whatever the kernel version's rule) holds, each set whole and in
# the kernel's order, so an opt-out behaves exactly as for C.
ioview_cxx_instr = $(if $(ioview_cxx_instr_checked),)$(foreach s,$(ioview_cxx_instr_sets),$(if $(call ioview_cxx_marker,$(s)),\
	$(if $(filter $(call ioview_cxx_marker,$(s)),$(_c_flags)),$(CFLAGS_$(s)))))

ioview_cxx_checked = $(if $(filter error:%,$(firstword $(1))),$(error $(1)),\
	$(if $(strip $(1)),$(1),$(error cannot derive C++ flags: cxx-flags.sh printed nothing)))

# The kernel C++ subset.  -nostdinc/-nostdinc++ plus an include path that
# holds only the project's headers make "C++ includes no kernel header"
# structural rather than a convention.
ioview_cxx_subset = -std=gnu++20 -ffreestanding -nostdinc -nostdinc++ \
	-fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	$(if $(filter -g%,$(ioview_cxx_kflags)),-gsplit-dwarf) \
	-Wall -Wextra -Werror -Wno-unused-parameter

# Where the library's broken preconditions end (include/ioview/support.h): the shim's BUG().
ioview_cxx_library = -DIOVIEW_CONTRACT_HANDLER=ioview_shim_contract_violation

ioview_cxx_flags = -Wp,-MMD,$(depfile) $(ioview_cxx_kflags) $(ioview_cxx_instr) $(ioview_cxx_subset) $(ioview_cxx_library) \
	-I$(ioview_cxx_dir) -I$(ioview_cxx_dir)/../include \
	$(CXXFLAGS_$(basename $(notdir $@)).o) \
	$(basename_flags) $(modname_flags)

quiet_cmd_cxx_o_cpp = CXX $(quiet_modtag) $@
      cmd_cxx_o_cpp = $(CXX) $(ioview_cxx_flags) -c -o $@ $< $(cmd_objtool)

define rule_cxx_o_cpp
	$(call cmd_and_fixdep,cxx_o_cpp)
	$(call cmd,gen_objtooldep)
endef

$(obj)/%.o: $(src)/%.cpp FORCE
	$(call if_changed_rule,cxx_o_cpp)

# C++ inline functions and template instantiations come in COMDAT groups.
# On kernels that run objtool on the linked module and give every function a
# __pfx_ symbol (6.12: IBT, call depth tracking), objtool inserts those local
# symbols by moving global ones to new indices, but leaves the groups'
# signature index (sh_info) where it was: the groups end up signed by
# unrelated __pfx_ symbols, and two groups signed alike make the final link
# discard one as a duplicate while .orc_unwind_ip still points into it.  The
# module's own "ld -r" therefore resolves the groups (one copy of each
# function kept, as a final link would) before objtool sees the object.
ldflags-y += --force-group-allocation
