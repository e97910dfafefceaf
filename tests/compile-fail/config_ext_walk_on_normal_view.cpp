// Extended capabilities live at 0x100 and up: the walk needs a view of the 4096-byte space.
// expect-first: incomplete type 'struct ioview::diag::ext_walk_needs_extended_view<ioview::region<256, ioview::pci::config_tag>, ioview::diag::size<256> >'
#include <ioview/testing/config.h>

#ifndef IOVIEW_CF_CONTROL
using space = ioview::pci::normal_config;
#else
using space = ioview::pci::extended_config;
#endif

ioview::result<ioview::usize> f(ioview::view<ioview::testing::pci_config, space> cfg)
{
	return ioview::pci::find_ext_capability(cfg, ioview::pci::ext_cap_aer);
}
