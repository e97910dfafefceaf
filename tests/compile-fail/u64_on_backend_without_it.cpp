// PCI config space has no 64-bit accessor.
// expect-first: incomplete type 'struct ioview::diag::backend_lacks_access_width<fake::config_space, ioview::diag::width<8> >'
#include "fake_backends.h"

auto f(ioview::view<fake::config_space, ioview::region<64>> cfg)
{
#ifndef IOVIEW_CF_CONTROL
	return cfg.read64<8>();
#else
	return cfg.read32<8>();
#endif
}
