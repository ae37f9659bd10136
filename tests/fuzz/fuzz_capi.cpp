// libFuzzer target: the C ABI's string and batch entry points. The first byte chooses the call;
// the rest is its input. Every status must be a listed one, every string freed by the library.
#include <vigil/vigil.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

void check_status(int rc) {
    if (rc > 0 || (rc != 0 && std::strcmp(vigil_status_string(rc), "unknown status") == 0)) std::abort();
}

const vigil_plan* builtin(int i) {
    static vigil_plan* plans[2] = {nullptr, nullptr};
    if (!plans[i]) vigil_plan_builtin(&plans[i], i ? "guiyang" : "yuzhong");
    return plans[i];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const unsigned op = data[0];
    const char* text = reinterpret_cast<const char*>(data + 1);
    const std::size_t n = size - 1;
    const vigil_plan* plan = builtin(op & 1);
    char* out = nullptr;
    switch ((op >> 1) % 7) {
        case 0: {
            vigil_plan* p = nullptr;
            check_status(vigil_plan_load_buffer(&p, text, n, "<fuzz>"));
            if (p) {
                check_status(vigil_plan_info_json(&out, p));
                vigil_string_free(out);
            }
            vigil_plan_free(p);
            break;
        }
        case 1: {
            vigil_calendar* c = nullptr;
            check_status(vigil_calendar_load_buffer(&c, text, n, "<fuzz>"));
            if (c) {
                int64_t t = 0;
                check_status(vigil_calendar_add_working_days(&t, c, 1790000000, INT32_MIN));
                check_status(vigil_calendar_add_working_days(&t, c, 1790000000, 7));
            }
            vigil_calendar_free(c);
            break;
        }
        case 2:
            check_status(vigil_deadlines_json(&out, plan, nullptr, text, n, VIGIL_TIME_NONE));
            vigil_string_free(out);
            break;
        case 3:
            check_status(vigil_audit_json(&out, plan, nullptr, text, n, 1790000000));
            vigil_string_free(out);
            break;
        case 4:
            check_status(vigil_incident_replay_json(&out, plan, text, n));
            vigil_string_free(out);
            break;
        case 5: {
            // a batch: the bytes as fact columns of uint32 values (as many clusters as fit)
            const std::size_t count = n / (4 * VIGIL_FACT_COUNT + 1);
            if (count == 0) break;  // memcpy of nothing into an empty vector's null data() is undefined
            std::vector<std::vector<uint32_t>> cols(VIGIL_FACT_COUNT, std::vector<uint32_t>(count));
            std::vector<const uint32_t*> ptrs(VIGIL_FACT_COUNT);
            std::vector<uint8_t> products(count), grades(count), warnings(count), responses(count);
            std::vector<uint64_t> matched(count);
            for (std::size_t f = 0; f < VIGIL_FACT_COUNT; ++f) {
                std::memcpy(cols[f].data(), data + 1 + f * 4 * count, 4 * count);
                ptrs[f] = cols[f].data();
            }
            std::memcpy(products.data(), data + 1 + VIGIL_FACT_COUNT * 4 * count, count);
            check_status(vigil_classify_batch(grades.data(), matched.data(), plan, count, ptrs.data(), VIGIL_FACT_COUNT,
                                              products.data()));
            check_status(vigil_classify_batch_ex(grades.data(), matched.data(), warnings.data(), responses.data(), plan,
                                                 count, ptrs.data(), VIGIL_FACT_COUNT, products.data(), nullptr, 0));
            break;
        }
        case 6: {
            vigil_plan* p = nullptr;
            check_status(vigil_plan_load_buffer(&p, text, n, nullptr));
            vigil_plan_free(p);
            break;
        }
    }
    return 0;
}
