// SPDX-License-Identifier: MIT
/* The stand-in package's shared library. */
const char *greeting(void) { return "hello from a stamped build"; }
