// Broken preconditions end the program at the faulty call instead of touching a garbage
// address: value() of a result holding an error, and a backend handing out a region view over
// fewer bytes than its minimum. Each case runs the misuse in a child process and expects it to
// die by the trap (SIGILL) before the access it would have made.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ioview/ioview.h>
#include <ioview/testing/memory.h>
#include <ioview/testing/mock.h>

using namespace ioview;

namespace {
// How a child that ran @p misuse ended: the signal that killed it, or -(exit status + 1).
template <typename F> int child_fate(F misuse)
{
	pid_t pid = fork();
	if (pid == 0) {
		// The test runner's own handler would report the trap as a failure of this test.
		signal(SIGILL, SIG_DFL);
		misuse();
		_exit(0);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st))
		return WTERMSIG(st);
	return -(WEXITSTATUS(st) + 1);
}

struct ctl_tag;
using ctl_regs = region<0x10, ctl_tag>;
} // namespace

TEST_CASE("value() of an error result traps before any access", "[contract]")
{
	u32 words[4] = { 1, 2, 3, 4 };
	auto v = sysmem::view_of(words);
	// Out of range: the element view would start past the array.
	REQUIRE(child_fate([&] { v.try_at(99).value().write_val(0xdead); }) == SIGILL);
	// Nothing was written in the parent's copy (the child had its own), and the checked
	// pattern works in the parent:
	auto slot = v.try_at(99);
	REQUIRE(slot.error() == -erange);
	REQUIRE(slot.value_or(sysmem::view_of(words[0])).read_val() == 1);
	REQUIRE(words[3] == 4);
}

TEST_CASE("value() of a failed try_read traps; value_or does not", "[contract]")
{
	alignas(8) u8 bytes[16] = {};
	auto r = sysmem::try_view<region<16>>(bytes, sizeof(bytes)).value();
	REQUIRE(child_fate([&] { (void)r.try_read32(14).value(); }) == SIGILL);
	REQUIRE(r.try_read32(14).value_or(7) == 7);
	REQUIRE(child_fate([&] { (void)r.try_read32(12).value(); }) == -1); // a good one exits normally
}

TEST_CASE("a region view below its type's minimum is refused by every backend", "[contract]")
{
	// The mock used to accept any size: region<0x10> over 4 bytes, then write32<0xc>.
	REQUIRE(child_fate([] {
		testing::mock dev;
		dev.region<ctl_regs>(4).write32<0xc>(1);
	}) == SIGILL);
	REQUIRE(child_fate([] {
		testing::mock dev;
		dev.region<ctl_regs>(0x12); // not a multiple of 4
	}) == SIGILL);
	testing::mock dev;
	dev.expect_write32(0xc, 1);
	dev.region<ctl_regs>(0x10).write32<0xc>(1);
	REQUIRE(dev.verify());
	// try_view reports the same conditions as errors instead.
	alignas(8) u8 bytes[8] = {};
	REQUIRE(sysmem::try_view<region<0x40>>(bytes, sizeof(bytes)).error() == -einval);
}
