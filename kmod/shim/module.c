// SPDX-License-Identifier: GPL-2.0
/*
 * ioview.ko's module and PCI driver registration: the id table, probe and remove
 * handed to the C++ driver, the selftest and bench parameters, init and exit.
 * What a load does is read top to bottom in kmod/README.md.
 */
#include <linux/build_bug.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>

#include "netlink.h"
#include "shim.h"

static_assert(__builtin_types_compatible_p(ioview_size_t, size_t),
	      "ioview_size_t must be the kernel's size_t");
static_assert(__builtin_types_compatible_p(ioview_va_list, va_list),
	      "ioview_va_list must be the kernel's va_list");

/*
 * selftest=1 at load runs the self-tests once the driver is registered;
 * writing 1 to /sys/module/ioview/parameters/selftest later runs them
 * again.  Runs are serialised: the runner keeps its records in static
 * storage.
 */
static bool selftest;
static bool ioview_live;
static DEFINE_MUTEX(ioview_selftest_lock);

static void ioview_run_selftests(void)
{
	mutex_lock(&ioview_selftest_lock);
	ioview_driver_selftest();
	mutex_unlock(&ioview_selftest_lock);
}

/**
 * ioview_selftest_lock_interruptible() - take the self-test lock for a run of the netlink family's
 *
 * Return: 0 with the lock held, or -EINTR.
 */
int ioview_selftest_lock_interruptible(void)
{
	return mutex_lock_interruptible(&ioview_selftest_lock);
}

/**
 * ioview_selftest_unlock() - release ioview_selftest_lock_interruptible()
 *
 * Process context, by the task that took the lock.
 */
void ioview_selftest_unlock(void)
{
	mutex_unlock(&ioview_selftest_lock);
}

/*
 * Parsed like a bool.  At load it only records the request (the driver is
 * not registered yet); on a live module a true value runs the self-tests
 * before the write returns.  A value that is not a bool is refused with
 * -EINVAL and runs nothing.
 */
static int ioview_selftest_set(const char *val, const struct kernel_param *kp)
{
	int err = param_set_bool(val, kp);

	if (err)
		return err;
	if (selftest && READ_ONCE(ioview_live))
		ioview_run_selftests();
	return 0;
}

static const struct kernel_param_ops ioview_selftest_ops = {
	.set = ioview_selftest_set,
	.get = param_get_bool,
};
module_param_cb(selftest, &ioview_selftest_ops, &selftest, 0644);
MODULE_PARM_DESC(selftest,
		 "Run the in-kernel self-tests and log them as KTAP: at load, or on each write of 1 (default: off)");

static bool bench;
module_param(bench, bool, 0444);
MODULE_PARM_DESC(bench,
		 "Run the in-kernel micro-benchmark at load and log its figures (default: off)");

/**
 * ioview_shim_bench_requested() - whether bench=1 was given at load
 *
 * Return: non-zero if the benchmark should run.
 */
int ioview_shim_bench_requested(void)
{
	return bench;
}

/*
 * mailbox_peer=1 says a host peer serves the ivshmem mailbox (the VM test
 * starts tests/user's mailbox-peer on the backing file); without it the
 * mailbox self-tests that need a peer skip instead of waiting for nobody.
 */
static bool mailbox_peer;
module_param(mailbox_peer, bool, 0444);
MODULE_PARM_DESC(mailbox_peer,
		 "A host peer serves the ivshmem mailbox: run the mailbox self-tests against it (default: off)");

/**
 * ioview_shim_mailbox_peer_expected() - whether mailbox_peer=1 was given at load
 *
 * Return: non-zero if a host peer is expected on the ivshmem mailbox.
 */
int ioview_shim_mailbox_peer_expected(void)
{
	return mailbox_peer;
}

/*
 * edu_msi=0 makes edu use its INTx pin (a shared line) even where MSI is
 * available, so that the fallback path and a handler that must say "not
 * mine" are tested on the same machine.
 */
static bool edu_msi = true;
module_param(edu_msi, bool, 0444);
MODULE_PARM_DESC(edu_msi,
		 "Use MSI for edu's interrupt where available; 0 forces the shared INTx line (default: on)");

/**
 * ioview_shim_edu_msi() - whether edu may use MSI (the edu_msi parameter)
 *
 * Any context.
 *
 * Return: non-zero unless the module was loaded with edu_msi=0.
 */
int ioview_shim_edu_msi(void)
{
	return edu_msi;
}

/*
 * selftest_suite=NAME runs that one suite instead of the default list, so
 * a VM case can run a suite that needs a peer without running every other
 * suite again; it may name a suite outside the default list.
 */
static char *selftest_suite;
module_param(selftest_suite, charp, 0444);
MODULE_PARM_DESC(selftest_suite,
		 "Run only the self-test suite of this name (default: every default suite)");

/**
 * ioview_shim_selftest_suite() - the suite selftest_suite= named
 *
 * Return: the name, or NULL if none (or an empty one) was given.
 */
const char *ioview_shim_selftest_suite(void)
{
	return selftest_suite && selftest_suite[0] ? selftest_suite : NULL;
}

static DEFINE_MUTEX(ioview_driver_mutex);

/**
 * ioview_shim_driver_lock() - take the lock of the driver's list of bound
 * functions
 *
 * driver/probe.cpp holds it while it looks a function up in the list or
 * changes the list, so that a lookup and a remove() never interleave.
 * Process context; sleeps; never held across a wait for the device.
 */
void ioview_shim_driver_lock(void)
{
	mutex_lock(&ioview_driver_mutex);
}

/**
 * ioview_shim_driver_unlock() - release ioview_shim_driver_lock()
 *
 * Process context, by the task that took the lock.
 */
void ioview_shim_driver_unlock(void)
{
	mutex_unlock(&ioview_driver_mutex);
}

static const struct pci_device_id ioview_pci_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8), .driver_data = IOVIEW_DEVICE_EDU },
	{ PCI_DEVICE(0x1af4, 0x1110), .driver_data = IOVIEW_DEVICE_IVSHMEM },
	{ }
};
MODULE_DEVICE_TABLE(pci, ioview_pci_ids);

static int ioview_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	return ioview_driver_probe(pdev, (enum ioview_device_kind)id->driver_data);
}

static void ioview_pci_remove(struct pci_dev *pdev)
{
	ioview_driver_remove(pdev);
}

static struct pci_driver ioview_pci_driver = {
	.name = "ioview",
	.id_table = ioview_pci_ids,
	.probe = ioview_pci_probe,
	.remove = ioview_pci_remove,
};

/**
 * ioview_shim_selftest_device_get() - a function of @kind bound to this driver
 * @kind: which entry of the id table
 *
 * Return: the function, referenced and with its device lock held (so
 * remove() cannot run under a self-test), or NULL if none is bound.
 */
struct pci_dev *ioview_shim_selftest_device_get(enum ioview_device_kind kind)
{
	const struct pci_device_id *id;
	struct pci_dev *pdev = NULL;

	for (id = ioview_pci_ids; id->vendor; id++)
		if (id->driver_data == kind)
			break;
	if (!id->vendor)
		return NULL;
	while ((pdev = pci_get_device(id->vendor, id->device, pdev))) {
		device_lock(&pdev->dev);
		if (pdev->dev.driver == &ioview_pci_driver.driver)
			return pdev;
		device_unlock(&pdev->dev);
	}
	return NULL;
}

/**
 * ioview_shim_selftest_device_put() - undo ioview_shim_selftest_device_get()
 * @pdev: what it returned (not NULL)
 */
void ioview_shim_selftest_device_put(struct pci_dev *pdev)
{
	device_unlock(&pdev->dev);
	pci_dev_put(pdev);
}

/*
 * The order of init and exit.  The netlink family is registered after the
 * PCI driver, so that its first request finds the functions present at boot
 * already bound, and unregistered before it, so that once exit goes on (the
 * unregistration waits for the requests in flight) no request can reach a
 * function while remove() tears it down.
 */
static int __init ioview_init(void)
{
	int err = pci_register_driver(&ioview_pci_driver);

	if (err)
		return err;
	err = ioview_nl_init();
	if (err) {
		pci_unregister_driver(&ioview_pci_driver);
		return err;
	}
	if (selftest)
		ioview_run_selftests();
	WRITE_ONCE(ioview_live, true);
	ioview_driver_loaded();
	return 0;
}
module_init(ioview_init);

static void __exit ioview_exit(void)
{
	WRITE_ONCE(ioview_live, false);
	ioview_nl_exit();
	pci_unregister_driver(&ioview_pci_driver);
}
module_exit(ioview_exit);

MODULE_DESCRIPTION("Typed, projected I/O views for PCI drivers in C++ (sample driver for QEMU edu and ivshmem)");
MODULE_LICENSE("GPL");
