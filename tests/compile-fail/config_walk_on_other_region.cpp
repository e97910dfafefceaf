// The capability walk reads configuration registers, so it takes only a configuration space view.
// expect-first: incomplete type 'struct ioview::diag::not_a_config_space_view<ioview::region<256> >'
#include <ioview/ioview.h>

#ifndef IOVIEW_CF_CONTROL
using space = ioview::region<256>;
#else
using space = ioview::pci::normal_config;
#endif

ioview::result<ioview::usize> f(ioview::view<ioview::sysmem, space> bar)
{
	return ioview::pci::find_capability(bar, ioview::pci::cap_msi);
}
