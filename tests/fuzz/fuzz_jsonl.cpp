// libFuzzer target: incident rows as JSON Lines (vigil classify --in jsonl).
#include "fuzz_rows.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { return fuzz_rows(data, size, "jsonl"); }
