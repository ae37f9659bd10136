/* bindings/c/example.c — vigil from C: load a plan, grade one cluster, print the reasons.
 *
 *   cc example.c $(pkg-config --cflags --libs vigil) -o example && ./example yuzhong
 *
 * The cluster: two deaths from the same batch, with similar cases nearby, and two people with
 * 特别严重 reactions. */
#include <vigil/vigil.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "yuzhong";
    vigil_plan *plan = NULL;
    vigil_facts facts;
    vigil_assessment a;
    char *explanation = NULL;
    int32_t i;

    printf("vigil %s (ABI %d)\n", vigil_version_string(), (int)vigil_abi_version());

    /* A built-in plan by id, or else a plan file. */
    if (vigil_plan_builtin(&plan, name) != VIGIL_OK && vigil_plan_load_file(&plan, name) != VIGIL_OK) {
        fprintf(stderr, "example: %s: %s\n", vigil_status_string(vigil_last_status()), vigil_last_error());
        return 1;
    }

    memset(&facts, 0, sizeof facts); /* absent facts are 0 */
    facts.deaths = 2;
    facts.similar_cases_nearby = 1;
    facts.severe_cases = 2;
    facts.product = VIGIL_PRODUCT_DRUG;

    if (vigil_classify(&a, &explanation, plan, &facts) != VIGIL_OK) {
        fprintf(stderr, "example: %s\n", vigil_last_error());
        vigil_plan_free(plan);
        return 1;
    }

    printf("plan %s: grade %s", vigil_plan_id(plan), vigil_grade_string(a.grade));
    if (a.winner >= 0) printf(" by %s", vigil_plan_criterion_clause(plan, a.winner));
    printf("\n");
    /* Every criterion that matched, the winner first, then in the plan's order. */
    if (a.winner >= 0) printf("  matched %s (winner)\n", vigil_plan_criterion_clause(plan, a.winner));
    for (i = 0; i < vigil_plan_criterion_count(plan); ++i)
        if (i != a.winner && ((a.matched >> i) & 1u)) printf("  matched %s\n", vigil_plan_criterion_clause(plan, i));
    printf("warning %s, response level %d\n", vigil_warning_string(a.warning), (int)a.response);
    /* The facts, bounds and clause texts behind them, and the warning and response rules, as JSON. */
    printf("explanation: %s\n", explanation);

    vigil_string_free(explanation);
    vigil_plan_free(plan);
    return 0;
}
