// libFuzzer target: incident rows as CSV (vigil classify --in csv).
#include "fuzz_rows.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { return fuzz_rows(data, size, "csv"); }
