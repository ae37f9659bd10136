// libFuzzer target: ICH E2B(R3) case reports as XML (vigil detect --in e2b), read through expat.
#include "fuzz_rows.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { return fuzz_rows(data, size, "e2b"); }
