// The edu driver logic instantiated on the module's MMIO backend with the module's contract
// handler, as the kernel glue uses it: compiled by run-checks.sh with the kernel's flags.
#define IOVIEW_CONTRACT_HANDLER ioview_cxxrt_contract_violation
#include "kernel/mmio.h"
#include "driver/edu_logic.h"
namespace edu = ioview::drivers::edu;
int edu_logic_on_kmmio(ioview::view<ioview::kernel::kmmio, ioview::devices::edu::bar0> bar,
		       ioview::view<ioview::coherent, ioview::slice<ioview::u8>> buf)
{
	auto wait = edu::poll_every([] {}, 10);
	int err = edu::identify(bar).error | edu::factorial(bar, 5, wait).error();
	err |= edu::factorial_start(bar, 5, edu::notify::interrupt).error() | edu::factorial_result(bar).error();
	err |= static_cast<int>(edu::handle_irq(bar).raw);
	edu::raise_irq(bar, 4);
	edu::ack_irq(bar, 4);
	err |= edu::dma_run(bar, edu::to_device(buf, 0), wait).error();
	err |= edu::dma_start(bar, edu::from_device(0, buf, edu::notify::interrupt)).error();
	return err | edu::dma_wait(bar, wait).error() | edu::dma_quiesce(bar, wait).error();
}
