/* A C consumer of an installed vigil (CMake's vigil::vigil_c, or cc $(pkg-config --cflags --libs vigil)):
 * the built-in plan and the installed plan file give the same answer. Prints "consumer_c: ok ..." */
#include <vigil/vigil.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *data_dir = argc > 1 ? argv[1] : NULL;
    char path[4096];
    vigil_plan *builtin = NULL, *file = NULL;
    vigil_facts facts;
    vigil_assessment a, b;
#ifdef VIGIL_DATA_DIR
    if (!data_dir) data_dir = VIGIL_DATA_DIR;
#endif
    if (!data_dir) {
        fprintf(stderr, "usage: consumer_c DATA_DIR\n");
        return 2;
    }
    if (vigil_version_number() != VIGIL_VERSION_NUMBER) {
        fprintf(stderr, "consumer_c: header %s, library %s\n", VIGIL_VERSION_STRING, vigil_version_string());
        return 1;
    }
    snprintf(path, sizeof path, "%s/plans/guiyang.json", data_dir);
    if (vigil_plan_builtin(&builtin, "guiyang") != VIGIL_OK || vigil_plan_load_file(&file, path) != VIGIL_OK) {
        fprintf(stderr, "consumer_c: %s\n", vigil_last_error());
        vigil_plan_free(builtin);
        return 1;
    }
    memset(&facts, 0, sizeof facts);
    facts.severe_cases = 5;
    if (vigil_classify(&a, NULL, builtin, &facts) != VIGIL_OK || vigil_classify(&b, NULL, file, &facts) != VIGIL_OK ||
        a.grade != b.grade || a.matched != b.matched || a.grade == VIGIL_GRADE_NONE) {
        fprintf(stderr, "consumer_c: built-in and installed plans disagree\n");
        return 1;
    }
    printf("consumer_c: ok: vigil %s, grade %s by %s\n", vigil_version_string(), vigil_grade_string(a.grade),
           vigil_plan_criterion_clause(builtin, a.winner));
    vigil_plan_free(builtin);
    vigil_plan_free(file);
    return 0;
}
