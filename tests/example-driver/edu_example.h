/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boundary of edu_example.ko: plain C declarations seen by the C shim
 * (shim.c, with the kernel's headers around it) and by the C++ driver
 * (driver.cpp, with nothing around it), so a prototype that drifts on
 * either side is a compile error.
 */
#ifndef EDU_EXAMPLE_H
#define EDU_EXAMPLE_H

#ifdef __cplusplus
extern "C" {
#endif

struct pci_dev;

/* The shim, for C++: readb()..readl(), writeb()..writel() and dev_info(). */
unsigned char edu_example_readb(const volatile void *addr);
unsigned short edu_example_readw(const volatile void *addr);
unsigned int edu_example_readl(const volatile void *addr);
void edu_example_writeb(unsigned char value, volatile void *addr);
void edu_example_writew(unsigned short value, volatile void *addr);
void edu_example_writel(unsigned int value, volatile void *addr);
void edu_example_log(struct pci_dev *pdev, const char *fmt, ...)
	__attribute__((__format__(__printf__, 2, 3)));

/* The C++ driver, called by the shim's probe with BAR0 mapped: 0 or -errno. */
int edu_example_probe(struct pci_dev *pdev, volatile void *bar0, unsigned long bar0_len);

#ifdef __cplusplus
}
#endif

#endif /* EDU_EXAMPLE_H */
