// The chunk pipeline of `vigil classify --threads N` (src/cli/ordered_chunks.hpp): chunks worked on
// N threads come back in the order they were given, never more than the bound out at once, each
// worked once; stopping with chunks in flight neither hangs nor loses track. Run under
// ThreadSanitizer by scripts/sanitize.sh tsan ([concurrency]).
#include "ordered_chunks.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

using vigil::cli::ordered_chunks;

namespace {

struct piece {
    std::uint64_t number = 0;      // its place in the input
    std::vector<std::uint32_t> in;  // what the owner filled
    std::string out;               // what a worker made of it
    unsigned worker = 0;
    int worked = 0;  // how many times a worker took it (once)
};

// A worker's answer for `in`: a checksum, with uneven work (so chunks finish out of order).
std::string answer(const std::vector<std::uint32_t>& in) {
    std::uint64_t h = 1469598103934665603ull;
    for (auto v : in)
        for (int k = 0; k < static_cast<int>(v % 5); ++k) h = (h ^ v) * 1099511628211ull;
    return std::to_string(h);
}

std::vector<std::uint32_t> fill_for(std::uint64_t number) {
    std::vector<std::uint32_t> v(1 + (number * 7919) % 1500);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint32_t>(number * 31 + i);
    return v;
}

}  // namespace

TEST_CASE("ordered chunks: worked on N threads, given back in input order, at most the bound out", "[concurrency]") {
    struct shape {
        unsigned workers;
        std::size_t in_flight;
        std::uint64_t chunks;
    };
    // one worker and one in flight (the least); more workers than in flight; the CLI's 2N
    const shape shapes[] = {{1, 1, 200}, {2, 4, 1000}, {4, 8, 3000}, {8, 2, 500}, {3, 6, 1}, {2, 4, 0}};
    for (const auto& sh : shapes) {
        CAPTURE(sh.workers, sh.in_flight, sh.chunks);
        std::vector<std::atomic<int>> by_worker(sh.workers);
        ordered_chunks<piece> pipe(sh.workers, sh.in_flight, [&](piece& p, unsigned w) {
            ++p.worked;
            p.worker = w;
            p.out = answer(p.in);
            ++by_worker[w];
            if (p.number % 13 == 0) std::this_thread::yield();
        });
        std::uint64_t given = 0, back = 0;
        bool in_order = true, right = true, once = true;
        const auto take = [&](piece* p) {
            in_order &= p->number == back;
            right &= p->out == answer(fill_for(p->number));
            once &= p->worked == 1;
            ++back;
            pipe.release(p);
        };
        for (;;) {
            while (piece* p = pipe.oldest_done(false)) take(p);
            if (given < sh.chunks) {
                if (piece* p = pipe.vacant()) {
                    p->number = given++;
                    p->in = fill_for(p->number);
                    p->worked = 0;
                    p->out.clear();
                    pipe.submit(p);
                    continue;
                }
            }
            piece* p = pipe.oldest_done(true);
            if (!p) break;
            take(p);
        }
        CHECK(back == sh.chunks);
        CHECK(in_order);
        CHECK(right);
        CHECK(once);
        CHECK(pipe.chunks() <= sh.in_flight);
        int total = 0;
        for (auto& n : by_worker) total += n.load();
        CHECK(total == static_cast<int>(sh.chunks));
    }
}

TEST_CASE("ordered chunks: the bound holds (no chunk to fill while it is out) and a vacant one goes back unused", "[concurrency]") {
    ordered_chunks<piece> pipe(2, 3, [](piece& p, unsigned) { p.out = "done"; });
    piece* a = pipe.vacant();
    piece* b = pipe.vacant();
    piece* c = pipe.vacant();
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(c);
    CHECK(pipe.vacant() == nullptr);  // three out: the bound
    pipe.release(c);                  // not submitted: back to be filled
    piece* c2 = pipe.vacant();
    CHECK(c2 == c);
    a->number = 0;
    b->number = 1;
    c2->number = 2;
    pipe.submit(a);
    pipe.submit(b);
    pipe.submit(c2);
    for (std::uint64_t k = 0; k < 3; ++k) {
        piece* p = pipe.oldest_done(true);
        REQUIRE(p);
        CHECK(p->number == k);
        CHECK(p->out == "done");
        pipe.release(p);
    }
    CHECK(pipe.oldest_done(true) == nullptr);  // none out: no wait
    CHECK(pipe.chunks() == 3);
}

TEST_CASE("ordered chunks: stopped with chunks in flight (an error met early), it ends without a hang", "[concurrency]") {
    for (unsigned workers : {1u, 2u, 4u}) {
        std::atomic<int> worked{0};
        {
            ordered_chunks<piece> pipe(workers, 2 * workers, [&](piece& p, unsigned) {
                p.out = answer(p.in);
                ++worked;
            });
            int submitted = 0;
            while (piece* p = pipe.vacant()) {
                p->number = static_cast<std::uint64_t>(submitted);
                p->in = fill_for(p->number);
                pipe.submit(p);
                ++submitted;
            }
            CHECK(submitted == static_cast<int>(2 * workers));
            piece* first = pipe.oldest_done(true);
            REQUIRE(first);
            CHECK(first->number == 0);
            // the owner stops here (as at a bad row): the rest are dropped or finished, then joined
        }
        CHECK(worked.load() >= 1);
        CHECK(worked.load() <= static_cast<int>(2 * workers));
    }
}
