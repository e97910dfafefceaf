# SPDX-License-Identifier: GPL-2.0
#
# Kbuild rule for C++ objects (%.cpp -> %.o), included by a Kbuild file.
#
# The flags are the kernel's own (KBUILD_CPPFLAGS, KBUILD_CFLAGS,
# KBUILD_CFLAGS_MODULE, CFLAGS_MODULE) minus what g++ rejects for C++, as
# probed by scripts/cxx-flags.sh, plus the C++ subset the kernel can host.
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

ioview_cxx_probe = $(call ioview_cxx_checked,$(shell $(CONFIG_SHELL) \
	$(ioview_cxx_dir)/scripts/cxx-flags.sh $(CXX) \
	$(KBUILD_CPPFLAGS) $(KBUILD_CFLAGS) $(KBUILD_CFLAGS_MODULE) $(CFLAGS_MODULE)))

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

ioview_cxx_flags = -Wp,-MMD,$(depfile) $(ioview_cxx_kflags) $(ioview_cxx_subset) $(ioview_cxx_library) \
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
