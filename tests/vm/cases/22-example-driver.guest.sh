# shellcheck shell=dash
# The example driver (tests/example-driver, built on the installed Kbuild
# glue, not on ioview's tree) binds edu with ioview out of the way, logs
# what its typed view read (identification and the liveness echo), leaves
# liveness holding what it wrote (read back here with devmem), and lets go
# of edu on rmmod.  devmem reads BAR0 only once the module let go of it
# (the kernel refuses /dev/mem on a region a driver holds).

edu=$(pci_find_one "edu present" 0x1234 0x11e8) || return 0
drv=/sys/bus/pci/drivers/edu_example

if [ ! -e "$IOVM_EXAMPLE_MODULE" ]; then
  tap_fail "insmod edu_example.ko" \
    "edu_example.ko is not in the initramfs: build/example-driver/$IOVM_RELEASE/edu_example.ko was missing on the host"
  return 0
fi
# ioview would hold edu: the example must find it free.
if module_loaded ioview; then
  tap_diag "an earlier case left ioview loaded: unloading it"
  rmmod ioview
fi
bound=$(readlink "/sys/bus/pci/devices/$edu/driver" 2>/dev/null)
expect_eq "edu bound to no driver before the example loads" "${bound##*/}" "" || return 0

expect_run "insmod edu_example.ko" insmod "$IOVM_EXAMPLE_MODULE" || return 0
if [ -e "$drv/$edu" ]; then
  tap_ok "edu bound to edu_example"
else
  tap_fail "edu bound to edu_example" "no $drv/$edu" "$(pci_list)"
fi
line="edu_example $edu: edu 1.0 (identification 0x010000ed), liveness 0x5aa5c33c -> 0xa55a3cc3"
expect_eq "dmesg: the probe's identification and liveness" "$(dmesg_count "$line")" 1 ||
  tap_diag "looked for: '$line'" "edu_example lines:" "$(dmesg | grep -F edu_example)"
expect_run "rmmod edu_example" rmmod edu_example
expect_eq "dmesg: edu unbound from edu_example" "$(dmesg_count "edu_example $edu: unbound")" 1
if module_loaded edu_example; then
  tap_fail "edu_example gone from /proc/modules" "$(grep '^edu_example ' /proc/modules)"
else
  tap_ok "edu_example gone from /proc/modules"
fi
bound=$(readlink "/sys/bus/pci/devices/$edu/driver" 2>/dev/null)
expect_eq "edu bound to no driver after rmmod" "${bound##*/}" ""
# The device itself, not the driver's word: liveness still reads the NOT of
# the pattern the probe wrote.
bar0=$(pci_bar_start "$edu" 0)
expect_num "devmem: liveness holds the complement of the probe's pattern" \
  "$(mmio_read 32 "$bar0 + 4" 2>&1)" 0xa55a3cc3
expect_num "devmem: identification" "$(mmio_read 32 "$bar0" 2>&1)" 0x010000ed
