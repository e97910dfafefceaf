// SPDX-License-Identifier: GPL-2.0
#include "ctl/request.h"

#include <cerrno>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "ctl/errors.h"
#include "uapi/ioview.h"

namespace ioviewctl {

namespace {

// Room for the largest request: edu's 4 KiB DMA window plus headers and the other attributes.
constexpr std::size_t request_size = 2 * 4096;

void check(int ret, const char *what)
{
	if (ret < 0)
		throw failure(std::string("cannot build the request: no room for ") + what, ENOBUFS);
}

void put_dev(nl_msg *m, const std::string &dev)
{
	check(nla_put_string(m, IOVIEW_A_DEV_NAME, dev.c_str()), "dev-name");
}

void put_optional(nl_msg *m, const command &c)
{
	if (c.dev)
		put_dev(m, *c.dev);
	if (c.reg)
		check(nla_put_string(m, IOVIEW_A_REGISTER, c.reg->c_str()), "register");
	if (c.dma_op)
		check(nla_put_u32(m, IOVIEW_A_DMA_OP, *c.dma_op), "dma-op");
	if (c.offset)
		check(nla_put_u32(m, IOVIEW_A_OFFSET, *c.offset), "offset");
	if (c.width)
		check(nla_put_u8(m, IOVIEW_A_WIDTH, *c.width), "width");
	if (c.length)
		check(nla_put_u32(m, IOVIEW_A_LENGTH, *c.length), "length");
	if (c.value)
		check(nla_put_u64(m, IOVIEW_A_VALUE, *c.value), "value");
	if (c.data)
		check(nla_put(m, IOVIEW_A_DATA, static_cast<int>(c.data->size()), c.data->data()), "data");
	if (c.completion)
		check(nla_put_u32(m, IOVIEW_A_COMPLETION, *c.completion), "completion");
	if (c.timeout_ms)
		check(nla_put_u32(m, IOVIEW_A_TIMEOUT_MS, *c.timeout_ms), "timeout-ms");
	if (c.suite)
		check(nla_put_string(m, IOVIEW_A_SUITE, c.suite->c_str()), "suite");
}

} // namespace

message new_request(int family, std::uint8_t cmd, bool dump)
{
	message m(nlmsg_alloc_size(request_size));
	if (!m)
		throw failure("out of memory", ENOMEM);
	if (!genlmsg_put(m.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, dump ? NLM_F_DUMP : 0, cmd, IOVIEW_GENL_VERSION))
		throw failure("cannot build the request header", ENOBUFS);
	return m;
}

message dev_get_request(int family, const std::optional<std::string> &dev)
{
	message m = new_request(family, IOVIEW_CMD_DEV_GET, !dev);
	if (dev)
		put_dev(m.get(), *dev);
	return m;
}

message config_read_request(int family, const std::string &dev, std::optional<std::uint32_t> offset,
			    std::optional<std::uint32_t> length)
{
	message m = new_request(family, IOVIEW_CMD_CONFIG_READ);
	put_dev(m.get(), dev);
	if (offset)
		check(nla_put_u32(m.get(), IOVIEW_A_OFFSET, *offset), "offset");
	if (length)
		check(nla_put_u32(m.get(), IOVIEW_A_LENGTH, *length), "length");
	return m;
}

message reg_get_request(int family, const std::string &dev, const std::optional<std::string> &reg)
{
	message m = new_request(family, IOVIEW_CMD_REG_GET);
	put_dev(m.get(), dev);
	if (reg)
		check(nla_put_string(m.get(), IOVIEW_A_REGISTER, reg->c_str()), "register");
	return m;
}

message reg_read_request(int family, const std::string &dev, const std::string &reg)
{
	message m = new_request(family, IOVIEW_CMD_REG_READ);
	put_dev(m.get(), dev);
	check(nla_put_string(m.get(), IOVIEW_A_REGISTER, reg.c_str()), "register");
	return m;
}

message stats_get_request(int family, const std::optional<std::string> &dev)
{
	message m = new_request(family, IOVIEW_CMD_STATS_GET, !dev);
	if (dev)
		put_dev(m.get(), *dev);
	return m;
}

std::optional<std::uint32_t> config_show_length(config_view v)
{
	switch (v) {
	case config_view::hex64:
		return IOVIEW_CONFIG_UNPRIVILEGED_BYTES;
	case config_view::hex256:
		return 256;
	case config_view::hex_all:
	case config_view::decoded:
		break;
	}
	return std::nullopt;
}

message build_request(const command &c, int family)
{
	std::uint8_t cmd = 0;
	switch (c.what) {
	case action::dev_show:
		return dev_get_request(family, c.dev);
	case action::stats_show:
		return stats_get_request(family, c.dev);
	case action::config_show:
		return config_read_request(family, c.dev.value(), std::nullopt, config_show_length(c.view));
	case action::config_read:
		// The protocol reads bytes; the command's width is how many.
		return config_read_request(family, c.dev.value(), c.offset, c.width.value());
	case action::reg_show:
		return reg_get_request(family, c.dev.value(), c.reg);
	case action::config_write: cmd = IOVIEW_CMD_CONFIG_WRITE; break;
	case action::reg_read: cmd = IOVIEW_CMD_REG_READ; break;
	case action::reg_write: cmd = IOVIEW_CMD_REG_WRITE; break;
	case action::edu_fact: cmd = IOVIEW_CMD_EDU_FACTORIAL; break;
	case action::edu_dma: cmd = IOVIEW_CMD_EDU_DMA; break;
	case action::edu_irq_raise: cmd = IOVIEW_CMD_EDU_IRQ_RAISE; break;
	case action::shm_send: cmd = IOVIEW_CMD_MBOX_SEND; break;
	case action::shm_recv: cmd = IOVIEW_CMD_MBOX_RECV; break;
	case action::shm_close: cmd = IOVIEW_CMD_MBOX_CLOSE; break;
	case action::selftest_run: cmd = IOVIEW_CMD_SELFTEST_RUN; break;
	case action::help:
	case action::monitor:
		throw failure("no request for this command", EINVAL);
	}
	message m = new_request(family, cmd);
	put_optional(m.get(), c);
	return m;
}

} // namespace ioviewctl
