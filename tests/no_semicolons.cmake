# Fails when a Catch2 TEST_CASE name holds ';' (catch_discover_tests would split it in two).
file(GLOB sources "${DIR}/*.cpp")
set(bad "")
foreach(f IN LISTS sources)
  # ENCODING UTF-8: without it file(STRINGS) keeps ASCII runs only, cutting a line at its first
  # Chinese character, so a name with Chinese before its ';' went unseen
  file(STRINGS "${f}" lines ENCODING UTF-8 REGEX "TEST_CASE\\(\"[^\"]*;")
  if(lines)
    list(APPEND bad "${f}")
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "TEST_CASE names with ';' in: ${bad}")
endif()
message(STATUS "no TEST_CASE name holds ';' (${DIR})")
