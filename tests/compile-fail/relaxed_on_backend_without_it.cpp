// Relaxed accessors exist only where the backend has them.
// expect-first: incomplete type 'struct ioview::diag::backend_lacks_relaxed_access<fake::config_space, ioview::diag::width<4> >'
#include "fake_backends.h"

auto f(ioview::view<fake::config_space, ioview::region<64>> cfg)
{
#ifndef IOVIEW_CF_CONTROL
	return cfg.at_offset<ioview::u32, 4>().read_val_relaxed();
#else
	return cfg.at_offset<ioview::u32, 4>().read_val();
#endif
}
