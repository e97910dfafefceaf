// SPDX-License-Identifier: GPL-2.0
// The C++ side believes plant_stop() never returns, objtool (looking at one
// object at a time) does not know that: the function seems to run off the
// end of .text.
extern "C" [[noreturn]] void plant_stop();
extern "C" void plant_falls_off();

extern "C" void plant_falls_off()
{
	plant_stop();
}
