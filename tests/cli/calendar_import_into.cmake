# Adding a year is one command: `vigil calendar import --into FILE NOTICE` merges a notice into a copy
# of the built-in calendar; importing it again changes nothing; the merged calendar settles the
# December 2026 incident's summary (final, exit 0), which the built-in calendar refuses on its row.
# -DVIGIL=… -DSRC=source dir -DOUT=dir
file(MAKE_DIRECTORY ${OUT})
configure_file(${SRC}/data/calendar/cn.csv ${OUT}/my-calendar.csv COPYONLY)
set(notice ${SRC}/tests/data/calendar/notices/test-2027-fixture.txt)
execute_process(COMMAND ${VIGIL} calendar import --into ${OUT}/my-calendar.csv --source "test fixture" ${notice}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT err MATCHES "notices of 2019–2027")
  message(FATAL_ERROR "calendar import --into: exit code ${rc}\n${err}")
endif()
file(READ ${OUT}/my-calendar.csv first)
execute_process(COMMAND ${VIGIL} calendar import --into ${OUT}/my-calendar.csv --source "test fixture" ${notice}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
file(READ ${OUT}/my-calendar.csv second)
if(NOT rc EQUAL 0 OR NOT first STREQUAL second)
  message(FATAL_ERROR "importing the notice again changed the calendar (exit code ${rc})\n${err}")
endif()
execute_process(COMMAND ${VIGIL} deadlines --calendar ${OUT}/my-calendar.csv --plan yuzhong
                        ${SRC}/examples/timeline-yuzhong-december.json
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "2027-01-01T00:00:00\\+08:00 +yz-5.2-summary" OR out MATCHES "\\(provisional\\)"
   OR NOT out MATCHES "notices of 2019–2027")
  message(FATAL_ERROR "deadlines with the merged calendar: exit code ${rc}\n${out}\n${err}")
endif()
execute_process(COMMAND ${VIGIL} deadlines --plan yuzhong ${SRC}/examples/timeline-yuzhong-december.json
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 3 OR NOT err MATCHES "calendar_unknown")
  message(FATAL_ERROR "deadlines with the built-in calendar: exit code ${rc}, expected 3\n${err}")
endif()
