// A C++ consumer of an installed vigil: a built-in plan and an installed plan file give the same
// answer. Prints "consumer_cpp: ok ..." and exits 0 on success.
#include <vigil/classify.hpp>
#include <vigil/plan.hpp>
#include <vigil/version.hpp>

#include <iostream>

int main() {
    auto builtin = vigil::builtin_plan("guiyang");
    auto file = vigil::load_plan_file(std::string(VIGIL_DATA_DIR) + "/plans/guiyang.json");
    if (!builtin || !file) {
        std::cerr << "consumer_cpp: " << (!builtin ? builtin.error() : file.error()).message() << '\n';
        return 1;
    }
    vigil::cluster_facts facts;
    facts.severe_cases = 5;
    auto a = vigil::classify(**builtin, facts);
    auto b = vigil::classify(**file, facts);
    if (a.grade != b.grade || a.reasons() != b.reasons() || a.grade == vigil::grade::none) {
        std::cerr << "consumer_cpp: built-in and installed plans disagree\n";
        return 1;
    }
    std::cout << "consumer_cpp: ok: vigil " << vigil::version_string << ", grade " << vigil::to_string(a.grade)
              << " by " << a.reasons() << '\n';
    return 0;
}
