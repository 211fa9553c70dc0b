// SPDX-License-Identifier: MIT
// doctest entry point of the native test suite.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
