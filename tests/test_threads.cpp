// One shared plan and calendar used by 16 threads at once: classify, decide warnings and
// responses, compute deadlines and audit. Each thread's answers must equal the ones computed
// alone. Run under ThreadSanitizer by scripts/sanitize.sh tsan (docs/reliability.md).
#include <vigil/calendar.hpp>
#include <vigil/classify.hpp>
#include <vigil/obligations.hpp>
#include <vigil/response.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace vigil;

namespace {

struct answers {
    std::vector<std::string> text;  // one line per question, in order
};

answers ask(const std::vector<plan_ptr>& plans, const calendar& cal, const std::vector<timeline>& timelines, unsigned seed) {
    answers out;
    for (unsigned k = 0; k < 40; ++k) {
        const auto& p = *plans[(seed + k) % plans.size()];
        cluster_facts f;
        f.deaths = (seed * 7 + k) % 6;
        f.similar_cases_nearby = ((seed + k) % 2) == 1;
        modifiers m;
        m.sensitive = (k % 3) == 0;
        m.key_period = (k % 5) == 0;
        const assessment a = classify(p, f);
        const decision d = decide(p, f, a, m);
        out.text.push_back(std::string(to_string(a.grade)) + " " + a.reasons() + " w" +
                           std::to_string(static_cast<int>(d.warning.colour)) + " r" + std::to_string(d.response.level));
    }
    for (std::size_t i = 0; i < timelines.size(); ++i) {
        const auto& p = *plans[i % plans.size()];
        // No Catch2 assertion inside the threads (Catch2 is not thread-safe): errors are answers.
        auto due = compute_deadlines(p, timelines[i], cal);
        if (!due) {
            out.text.push_back("error " + due.error().message());
            continue;
        }
        std::string s;
        for (const auto& x : *due) s += to_json(x) + "\n";
        out.text.push_back(s);
        auto as_of = timelines[i].events.back().at + boost::posix_time::hours(24 * 30);
        auto au = audit(p, timelines[i], cal, as_of);
        if (!au) {
            out.text.push_back("error " + au.error().message());
            continue;
        }
        out.text.push_back(std::to_string(au->size()));
        for (const auto& e : *au) out.text.push_back(std::to_string(static_cast<int>(e.status)));
    }
    return out;
}

}  // namespace

TEST_CASE("16 threads share one plan and one calendar: the same answers as one thread", "[threads]") {
    const std::vector<plan_ptr> plans = {builtin_plan("yuzhong").value(), builtin_plan("guiyang").value()};
    const calendar cal = builtin_calendar().value();
    const std::vector<timeline> timelines = {
        load_timeline_file(std::string(VIGIL_SOURCE_DIR) + "/examples/timeline-yuzhong-major.json", *plans[0]).value(),
        load_timeline_file(std::string(VIGIL_SOURCE_DIR) + "/examples/timeline-guiyang-escalation.json", *plans[1]).value(),
    };
    constexpr unsigned threads = 16;
    std::vector<answers> alone;
    for (unsigned t = 0; t < threads; ++t) alone.push_back(ask(plans, cal, timelines, t));
    std::vector<answers> together(threads);
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            while (!go.load()) std::this_thread::yield();
            for (int round = 0; round < 3; ++round) together[t] = ask(plans, cal, timelines, t);
        });
    go = true;
    for (auto& th : pool) th.join();
    for (unsigned t = 0; t < threads; ++t) {
        INFO("thread " << t);
        CHECK(together[t].text == alone[t].text);
        CHECK(alone[t].text.size() > 40);
        for (const auto& line : alone[t].text) CHECK(line.rfind("error", 0) != 0);
    }
}
