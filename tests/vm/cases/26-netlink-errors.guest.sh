# shellcheck shell=dash
# The refusals 25-netlink does not cover, each checked for its exit status,
# its message (the kernel's extended ACK, or the tool's own where the tool
# decides) and, for refused writes, that the state is what it was: no
# module, an unknown device, offsets past the end, an unaligned access, a
# request too long, a wrong width, a value too wide, a close of a mailbox
# that is not open, and an unprivileged caller's writes to a register and
# to configuration space and close of the mailbox. Nothing here opens the
# mailbox (60-mailbox's host peer waits for the guest's first open).
#
# A dump that fails after its first message cannot be produced: both dumps
# (dev-get, stats-get) fetch each function through a reference taken under
# the list's lock, which never sleeps on a device and fails only past the
# last function (-ENOENT, the normal end), and each function's message fits
# an empty dump buffer many times over. The one error a dump callback can
# return, a dump request naming a device, comes before any message; that is
# the path of an error carried in NLMSG_DONE, which libnl alone would take
# for success. ioviewctl never sends such a request, so it is sent by
# nlbench's probe (tests/bench/netlink), which reads the reply by hand and
# then through ioviewctl's session.

edu=$(pci_find_one "edu present" 0x1234 0x11e8) || return 0
shm=$(pci_find_one "ivshmem present" 0x1af4 0x1110) || return 0
if [ ! -x "$IOVM_CTL" ]; then
  tap_fail "ioviewctl present" "build/user/ioviewctl was missing on the host"
  return 0
fi
module_loaded ioview && rmmod ioview

out=$IOVM_TMP/nlerr.out err=$IOVM_TMP/nlerr.err
# refused NAME STATUS TEXT ARGS...: ioviewctl ARGS exits STATUS and its stderr has
# a line "Error: ...TEXT...".
refused() {
  _r_name=$1 _r_want=$2 _r_text=$3
  shift 3
  "$IOVM_CTL" "$@" > "$out" 2> "$err"
  _r_rc=$?
  if [ "$_r_rc" != "$_r_want" ]; then
    tap_fail "$_r_name" "ioviewctl $* exited $_r_rc, want $_r_want" "$(cat "$out" "$err")"
    return 1
  fi
  if ! grep '^Error: ' "$err" | grep -qF -- "$_r_text"; then
    tap_fail "$_r_name" "no 'Error: ...$_r_text' in:" "$(cat "$err")"
    return 1
  fi
  tap_ok "$_r_name"
}
# value NAME EXPECTED ARGS...: ioviewctl ARGS prints EXPECTED as its last word
# ("liveness 0x04 = 0xffffedcb" for a register, the bare value for config space).
value() {
  _v_name=$1 _v_want=$2
  shift 2
  _v_got=$("$IOVM_CTL" "$@" 2>&1 | awk '{ v = $NF } END { print v }')
  expect_num "$_v_name" "$_v_got" "$_v_want"
}

refused "no module: the family is missing and the tool says why" 1 \
  "the ioview module is probably not loaded" dev show
expect_run "insmod" insmod "$IOVM_MODULE" || return 0

refused "an unknown device is refused, naming the bound ones" 1 \
  "no bound device matches \"00:01.0\" (bound: $edu, $shm)" config read 00:01.0 0 32
# A complete address goes to the kernel as given (no listing first), so the
# refusal is the family's own extended ACK.
refused "an unknown complete address is refused by the kernel" 1 \
  "no function of that name is bound to ioview" config read 0000:00:01.0 0 32
refused "config read at 256 of a 256-byte space" 1 \
  "offset is past the end of the configuration space" config read "$edu" 256 8
refused "config read past 4 KiB is a usage error" 2 "is too large" config read "$edu" 4096 8
refused "reg read past edu's BAR" 1 "offset is past the end of the register BAR" reg read "$edu" 0x100000
refused "reg read past ivshmem's BAR0" 1 "offset is past the end of the register BAR" reg read "$shm" 0x100
refused "reg read at an unaligned offset" 1 "offset is not aligned to the access width" reg read "$edu" 0x2
refused "a 64-bit reg read at a 32-bit aligned offset" 1 \
  "offset is not aligned to the access width" reg read "$edu" 4 64
refused "a 16-bit read of a 32-bit register" 1 "width (4 unless given) is not the register's width" \
  reg read "$edu" 4 16
refused "an edu transfer past its 4095-byte buffer" 1 \
  "the transfer leaves the first 4095 bytes of edu's buffer" edu dma "$edu" write 4096 00
refused "a mailbox message over 248 bytes" 1 "a mailbox message is at most 248 bytes" \
  shm send "$shm" "$(printf '%0249d' 0)"
refused "shm close of a mailbox never opened" 1 "the mailbox is not open" shm close "$shm"
expect_eq "shm close of a mailbox never opened: the whole message" "$(cat "$err")" \
  "Error: the mailbox is not open."
refused "shm close of edu" 1 "the operation needs an ivshmem function" shm close "$edu"
refused "shm close without a device is a usage error" 2 "missing DEV" shm close
expect_eq "the refused closes opened nothing: ioview holds edu's BAR0 only" "$(grep -c -F ioview /proc/iomem)" 1

# Refused writes leave the register and the configuration byte as they were.
"$IOVM_CTL" reg write "$edu" liveness 0x1234 > /dev/null 2>&1
irq_line=$("$IOVM_CTL" config read "$edu" 0x3c 8 2>&1)
refused "a 64-bit config write" 1 "a configuration space access is 1, 2 or 4 bytes wide" \
  config write "$edu" 0x40 64 0
refused "a config write of a value wider than 8 bits" 1 "value does not fit the access width" \
  config write "$edu" 0x3c 8 0x1ff
refused "a reg write of a value wider than 32 bits" 1 "value does not fit the access width" \
  reg write "$edu" liveness 0x1ffffffff
refused "a 16-bit write of a 32-bit register" 1 "width (4 unless given) is not the register's width" \
  reg write "$edu" 0x4 0x1 16
value "liveness after the refused writes" 0xffffedcb reg read "$edu" liveness
value "interrupt line after the refused writes" "$irq_line" config read "$edu" 0x3c 8

# An unprivileged caller: GENL_ADMIN_PERM refuses before the handler runs, so
# the answer is a bare EPERM, which the tool shows as strerror's text.
grep -q '^nobody:' /etc/passwd 2> /dev/null || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> /etc/passwd
as_nobody() {
  su -s /bin/sh nobody -c "$*" > "$out" 2> "$err"
}
as_nobody "$IOVM_CTL" reg write "$edu" liveness 0x5678
expect_eq "nobody: reg write exits 1" $? 1 &&
  expect_eq "nobody: reg write is EPERM" "$(cat "$err")" "Error: Operation not permitted."
as_nobody "$IOVM_CTL" config write "$edu" 0x3c 8 0x05
expect_eq "nobody: config write exits 1" $? 1 &&
  expect_eq "nobody: config write is EPERM" "$(cat "$err")" "Error: Operation not permitted."
as_nobody "$IOVM_CTL" shm close "$shm"
expect_eq "nobody: shm close exits 1" $? 1 &&
  expect_eq "nobody: shm close is EPERM" "$(cat "$err")" "Error: Operation not permitted."
value "liveness after nobody's write" 0xffffedcb reg read "$edu" liveness
value "interrupt line after nobody's write" "$irq_line" config read "$edu" 0x3c 8
as_nobody "$IOVM_CTL" config read "$shm" 0x40 8
expect_eq "nobody: ivshmem's config past 64 bytes exits 1" $? 1 &&
  contains_err=$(grep -c "CAP_SYS_ADMIN" "$err")
expect_eq "nobody: the refusal names CAP_SYS_ADMIN" "${contains_err:-0}" 1

# The dump refusal: NLMSG_DONE with -EINVAL and the message, before any
# device's message; the session, libnl's callbacks and ours, fails it.
if [ -x /usr/bin/nlbench ]; then
  /usr/bin/nlbench dump-named "$edu" > "$out" 2>&1
  expect_eq "a dump naming a device ends in NLMSG_DONE with EINVAL and the message" "$(sed -n 1p "$out")" \
    'dump-named: ended by NLMSG_DONE, errno 22 (Invalid argument), 0 messages before it, extack "a dump lists every function: name one in a do request"'
  expect_eq "the session reports the dump's error, not success" "$(sed -n 2p "$out")" \
    'dump-named: session failed it, errno 22: a dump lists every function: name one in a do request'
else
  tap_fail "nlbench present" "build/user/nlbench was missing on the host"
fi

expect_run "rmmod" rmmod ioview
