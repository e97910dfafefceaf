# SPDX-License-Identifier: GPL-2.0
#
# The Kbuild glue that makes C++ a first-class part of a kernel module.  A
# module's Kbuild file lists its C and C++ objects as usual and includes this
# file once, after obj-m and the <module>-y lists:
#
#     obj-m := mydrv.o
#     mydrv-y := mydrv_shim.o mydrv.o      # mydrv_shim.c (C), mydrv.cpp (C++)
#     include $(IOVIEW_DIR)/kbuild/ioview.mk
#
# Every %.o built from a %.cpp of the module then gets:
#  - the kernel's own code generation flags, derived from its C flags by
#    cxx-flags.sh, plus the kernel's per-object instrumentation (KASAN,
#    UBSAN, KCOV, KCSAN, ...) exactly where a C object of the same name would
#    get it, plus the C++ subset the kernel can host;
#  - Kbuild's if_changed_rule and fixdep, like a C object: the .cmd file
#    records the command line and every header, so a flag change or a
#    touched header rebuilds what it must and nothing else;
#  - objtool, per object or on the linked module as the kernel decides;
#  - the include path: the module's own directory, the view library
#    (<ioview/...>) and the C++ runtime's headers ("ioview_cxxrt.h"), and no
#    kernel header at all.
# Every composite module in obj-m gets the C++ runtime linked in
# (runtime/: operator new and delete, __cxa_pure_virtual, the library's
# contract handler), as two objects built into the module's directory:
# ioview_cxxrt.o and its C half ioview_cxxrt_shim.o.  IOVIEW_MODULES, set
# before the include, names the modules that get it instead (one per
# directory: the objects are shared by name).
#
# Per-object extras: CXXFLAGS_<stem>.o := ...
#
# check-module.sh, next to this file, proves a built .ko stays inside the
# subset (run it on the .ko after the build).
#
# Debug info of C++ objects goes to split .dwo files next to the objects:
# pahole 1.24 (bookworm) cannot encode C++ DWARF (reference types) into the
# module's BTF and would fail the link; the .ko keeps skeleton units that
# point debuggers at the .dwo files.

ifndef ioview_kbuild_included
ioview_kbuild_included := y

ioview_kbuild_dir := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
ioview_cxx_dir := $(ioview_kbuild_dir)
ioview_runtime_dir := $(ioview_kbuild_dir)/runtime

# The view library: next to this directory once installed (share/ioview/
# {kbuild,include}), two levels up in the source tree (kmod/kbuild, include).
ioview_include_dir := $(firstword $(foreach d,$(ioview_kbuild_dir)/../include $(ioview_kbuild_dir)/../../include,\
	$(if $(wildcard $(d)/ioview/ioview.h),$(abspath $(d)))))
$(if $(ioview_include_dir),,$(error ioview.mk: no view library (ioview/ioview.h) next to $(ioview_kbuild_dir)))

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
	$(ioview_cxx_dir)/cxx-flags.sh $(CXX) $(ioview_cxx_base)))

# Checked once, like the base flags; the sets themselves are added per object.
ioview_cxx_instr_checked = $(eval ioview_cxx_instr_checked := $$(if $$(strip $$(ioview_cxx_instr_all)),\
	$$(call ioview_cxx_checked,$$(shell IOVIEW_CXX_MUST_KEEP='$$(ioview_cxx_instr_all)' \
	$$(CONFIG_SHELL) $$(ioview_cxx_dir)/cxx-flags.sh $$(CXX) \
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
# holds only the module's and ioview's headers make "C++ includes no kernel header"
# structural rather than a convention.
ioview_cxx_subset = -std=gnu++20 -ffreestanding -nostdinc -nostdinc++ \
	-fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	$(if $(filter -g%,$(ioview_cxx_kflags)),-gsplit-dwarf) \
	-Wall -Wextra -Werror -Wno-unused-parameter

# Where the library's broken preconditions end (include/ioview/support.h): the runtime's WARN().
ioview_cxx_library = -DIOVIEW_CONTRACT_HANDLER=ioview_cxxrt_contract_violation

ioview_cxx_flags = -Wp,-MMD,$(depfile) $(ioview_cxx_kflags) $(ioview_cxx_instr) $(ioview_cxx_subset) $(ioview_cxx_library) \
	-I$(src) -I$(ioview_include_dir) -I$(ioview_runtime_dir) \
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

# The C++ runtime, built from runtime/ into the module's directory.  Static
# pattern rules, so that $* is the object's name as the module's -y list has
# it: Kbuild derives KBUILD_MODNAME from that.
ioview_runtime_objs := ioview_cxxrt.o ioview_cxxrt_shim.o
ioview_composite = $(foreach m,$(filter %.o,$(obj-m)),$(if $(strip $($(m:.o=-y)) $($(m:.o=-objs))),$(m:.o=)))
IOVIEW_MODULES ?= $(ioview_composite)
$(foreach m,$(filter %.o,$(obj-m)),$(if $(filter $(m:.o=),$(ioview_composite)),,\
	$(if $(wildcard $(src)/$(m:.o=.cpp)),\
	$(error ioview.mk: $(m) is a single C++ object; list it as $(m:.o=)-y := $(m:.o=)_main.o ... so the C++ runtime can be linked in))))
$(if $(word 2,$(IOVIEW_MODULES)),$(error ioview.mk: the C++ runtime goes into one module per directory, not $(IOVIEW_MODULES): set IOVIEW_MODULES or give each module its own directory))
$(foreach m,$(IOVIEW_MODULES),$(eval $(m)-y += $(ioview_runtime_objs)))

$(obj)/ioview_cxxrt.o: $(obj)/%.o: $(ioview_runtime_dir)/%.cpp FORCE
	$(call if_changed_rule,cxx_o_cpp)

$(obj)/ioview_cxxrt_shim.o: $(obj)/%.o: $(ioview_runtime_dir)/%.c $(recordmcount_source) FORCE
	$(call if_changed_rule,cc_o_c)

endif # ioview_kbuild_included
