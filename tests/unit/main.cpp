// Catch2's test runner; the tests live in the test_*.cpp files.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
