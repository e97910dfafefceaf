// SPDX-License-Identifier: GPL-2.0
//
// Messages per second through the ivshmem mailbox's rings in userspace: the guest side and the
// host side each on its own thread, both endpoints of kmod/driver/mailbox_ring.h over one
// buffer through ioview::sysmem with shared_memory_fences, as the host peer uses them.  What
// it measures is the protocol's cost between two CPUs sharing cache lines (the slot copies, the
// index loads and stores, the checks), not ivshmem: the guest sees BAR2 through a vCPU, where
// every access costs what the hypervisor makes it cost.
//
//     mailbox-bench [MESSAGES]     messages per measurement (default 1000000)
//
// Three measurements per payload size, each the median of five runs:
//   one-way    guest sends MESSAGES, host receives them (the ring as a pipe)
//   echo       guest sends MESSAGES, host sends each back, guest receives the echoes
//   ping-pong  the same with one message in flight: round trips per second (latency)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include <ioview/sysmem.h>

#include "driver/mailbox_ring.h"

namespace {

namespace mbx = ioview::driver::mailbox;
namespace wire = ioview::devices::mailbox;
using ioview::u8;
using ioview::usize;
using endpoint = mbx::endpoint<ioview::sysmem, mbx::shared_memory_fences>;
using clock_type = std::chrono::steady_clock;

// The two endpoints over a fresh, cache-line aligned mailbox.
struct mailbox {
	alignas(64) wire::layout mem{};
	endpoint guest;
	endpoint host;
	mailbox()
		: guest(endpoint::init(ioview::sysmem::view_of(mem), wire::side::guest).value()),
		  host(endpoint::attach(ioview::sysmem::view_of(mem), wire::side::host).value())
	{
	}
};

// A spin-wait hint between polls.
inline void cpu_relax()
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	asm volatile("yield" ::: "memory");
#endif
}

void send_all(endpoint &e, const u8 *msg, usize len, usize n)
{
	for (usize i = 0; i < n;) {
		if (e.send(msg, len))
			++i;
		else
			cpu_relax();
	}
}

usize receive_all(endpoint &e, usize n)
{
	u8 buf[wire::max_payload];
	usize bytes = 0;
	for (usize i = 0; i < n;) {
		auto r = e.receive(buf, sizeof(buf));
		if (r) {
			bytes += r.value();
			++i;
		} else {
			cpu_relax();
		}
	}
	return bytes;
}

// One run: seconds from both threads starting to the last message arriving.
enum class kind { one_way, echo, ping_pong };

double run_once(kind k, usize len, usize n)
{
	auto box = std::make_unique<mailbox>();
	u8 msg[wire::max_payload];
	for (usize i = 0; i < len; ++i)
		msg[i] = static_cast<u8>(i);
	std::atomic<int> ready{ 0 };
	auto start_together = [&] {
		ready.fetch_add(1);
		while (ready.load() < 2)
			cpu_relax();
	};
	clock_type::time_point t0, t1;
	std::thread host([&] {
		start_together();
		if (k == kind::one_way) {
			receive_all(box->host, n);
			return;
		}
		u8 buf[wire::max_payload];
		for (usize i = 0; i < n;) {
			auto r = box->host.receive(buf, sizeof(buf));
			if (!r) {
				cpu_relax();
				continue;
			}
			send_all(box->host, buf, r.value(), 1);
			++i;
		}
	});
	start_together();
	t0 = clock_type::now();
	if (k == kind::one_way) {
		send_all(box->guest, msg, len, n);
		host.join();
	} else if (k == kind::echo) {
		// Keep the ring busy: send while there is room, take echoes as they come.
		u8 buf[wire::max_payload];
		usize sent = 0, got = 0;
		while (got < n) {
			if (sent < n && box->guest.send(msg, len))
				++sent;
			auto r = box->guest.receive(buf, sizeof(buf));
			if (r)
				++got;
		}
		host.join();
	} else {
		for (usize i = 0; i < n; ++i) {
			send_all(box->guest, msg, len, 1);
			receive_all(box->guest, 1);
		}
		host.join();
	}
	t1 = clock_type::now();
	return std::chrono::duration<double>(t1 - t0).count();
}

double median_of_five(kind k, usize len, usize n)
{
	std::vector<double> t;
	for (int i = 0; i < 5; ++i)
		t.push_back(run_once(k, len, n));
	std::sort(t.begin(), t.end());
	return t[2];
}

} // namespace

int main(int argc, char **argv)
{
	usize n = argc > 1 ? std::strtoull(argv[1], nullptr, 0) : 1000000;
	if (n == 0) {
		std::fprintf(stderr, "usage: mailbox-bench [MESSAGES]\n");
		return 2;
	}
	std::printf("mailbox throughput, userspace, sysmem + shared_memory_fences, %u threads available\n",
		    std::thread::hardware_concurrency());
	std::printf("ring: %u slots of %zu bytes; %zu messages per run, median of 5 runs\n\n", wire::slot_count,
		    wire::slot_size, n);
	std::printf("%8s  %14s %9s  %14s  %14s %9s\n", "payload", "one-way msg/s", "MB/s", "echo round/s",
		    "ping-pong rt/s", "us/rt");
	for (usize len : { usize{ 8 }, usize{ 64 }, wire::max_payload }) {
		double one = median_of_five(kind::one_way, len, n);
		double echo = median_of_five(kind::echo, len, n);
		usize pp_n = n / 10 ? n / 10 : 1;
		double pp = median_of_five(kind::ping_pong, len, pp_n);
		std::printf("%8zu  %14.0f %9.1f  %14.0f  %14.0f %9.2f\n", len, n / one, n * len / one / 1e6, n / echo,
			    pp_n / pp, pp / pp_n * 1e6);
	}
	return 0;
}
