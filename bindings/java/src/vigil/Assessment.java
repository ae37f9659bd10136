package vigil;

/**
 * The answer for one cluster (vigil_assessment): the grade, the winning clause, the warning and the
 * response, and the full reasons as the library's explanation JSON.
 */
public record Assessment(
        String grade,
        String computedGrade,
        boolean inScope,
        String winner,
        int matchCount,
        long matched,
        String warning,
        int warningNumber,
        int response,
        int responseBase,
        String explanationJson) {
    static final String[] GRADES = {"none", "IV", "III", "II", "I"};
    static final String[] WARNINGS = {"none", "blue", "yellow", "orange", "red"};
}
