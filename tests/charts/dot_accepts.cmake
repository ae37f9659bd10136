# vigil plan chart --kind KIND PLAN | dot -Tsvg: both exit 0 and the SVG has every node.
# -DVIGIL=… -DDOT=… -DPLAN=… -DKIND=…
execute_process(COMMAND ${VIGIL} plan chart --kind ${KIND} ${PLAN}
                COMMAND ${DOT} -Tsvg
                RESULTS_VARIABLE rcs OUTPUT_VARIABLE svg ERROR_VARIABLE err)
if(NOT rcs STREQUAL "0;0")
  message(FATAL_ERROR "vigil plan chart --kind ${KIND} ${PLAN} | dot -Tsvg: exit codes ${rcs}\n${err}")
endif()
if(err MATCHES "[Ee]rror|[Ww]arning")
  message(FATAL_ERROR "dot complained:\n${err}")
endif()
string(FIND "${svg}" "</svg>" end)
if(end EQUAL -1)
  message(FATAL_ERROR "no SVG document in dot's output")
endif()
string(REGEX MATCHALL "class=\"node\"" nodes "${svg}")
list(LENGTH nodes n)
if(n EQUAL 0)
  message(FATAL_ERROR "the SVG has no node")
endif()
message(STATUS "${PLAN} ${KIND}: dot drew ${n} nodes")
