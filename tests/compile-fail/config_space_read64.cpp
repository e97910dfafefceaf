// PCI configuration space has no 64-bit accessor: a configuration transaction carries at most 32 bits.
// expect-first: incomplete type 'struct ioview::diag::backend_lacks_access_width<ioview::config_space<ioview::testing::pci_config_accessors>, ioview::diag::width<8> >'
#include <ioview/testing/config.h>

auto f(ioview::view<ioview::testing::pci_config, ioview::pci::normal_config> cfg)
{
#ifndef IOVIEW_CF_CONTROL
	return cfg.read64<0x10>();
#else
	return cfg.read32<0x10>();
#endif
}
