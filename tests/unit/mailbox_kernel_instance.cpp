// The mailbox as the guest driver instantiates it: BAR2 through the module's own MMIO backend
// (kmod/kernel/mmio.h: readl()/writel(), memcpy_toio()/memcpy_fromio()) with the kernel's
// mandatory barriers (kmod/driver/mailbox_barriers.h).  Not a Catch2 test: run-checks.sh
// compiles it with the kernel's flags, so every template the glue will use is instantiated in
// the module's environment (no std headers, no exceptions, no SSE).
#include "driver/mailbox_barriers.h"
#include "driver/mailbox_ring.h"
#include "kernel/mmio.h"

namespace {

struct ivshmem_tag;
using bar2 = ioview::region<0x100000, ivshmem_tag, 8>;
namespace mbx = ioview::driver::mailbox;
using guest_mailbox = mbx::endpoint<ioview::kernel::kmmio, mbx::ivshmem_barriers>;

} // namespace

int mailbox_guest_up(ioview::view<ioview::kernel::kmmio, bar2> bar, guest_mailbox *out, bool first)
{
	auto mem = bar.at_offset<mbx::wire::layout, mbx::wire::bar2_offset>();
	auto r = first ? guest_mailbox::init(mem, mbx::wire::side::guest) : guest_mailbox::attach(mem, mbx::wire::side::guest);
	if (!r)
		return r.error();
	*out = r.value();
	return 0;
}

int mailbox_guest_poll(guest_mailbox *mb, ioview::u64 now_ns, ioview::u8 (&buf)[mbx::wire::max_payload])
{
	mb->heartbeat();
	if (mb->watch_peer(now_ns, 2000000000) == mbx::peer_event::reinitialised) {
		ioview::status s = mb->resync();
		if (!s)
			return s.error();
	}
	auto n = mb->receive(buf, sizeof(buf));
	if (!n)
		return n.error();
	ioview::status s = mb->send(buf, n.value());
	if (!s)
		return s.error();
	if (mb->tx().free_slots().value_or(0) == 0 || mb->rx().pending().value_or(0) == 0)
		mb->detach();
	return static_cast<int>(n.value());
}
