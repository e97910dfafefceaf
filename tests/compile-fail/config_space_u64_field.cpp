// A u64 field of a struct in configuration space cannot be read in one access, even when its
// address is 8-byte aligned: the backend has no 64-bit accessor.
// expect-first: incomplete type 'struct ioview::diag::backend_lacks_access_width<ioview::config_space<ioview::testing::pci_config_accessors>, ioview::diag::width<8> >'
#include <ioview/testing/config.h>

#ifndef IOVIEW_CF_CONTROL
using field = ioview::u64;
#else
using field = ioview::u32;
#endif

struct bar_pairs {
	field bar01;
	field bar23;
};
template <> inline constexpr bool ioview::enable_plain_data<bar_pairs> = true;

auto f(ioview::view<ioview::testing::pci_config, ioview::pci::normal_config> cfg)
{
	auto bars = cfg.try_at_offset<bar_pairs>(0x10);
	return IOVIEW_PROJECT(bars.value(), bar23).read_val();
}
