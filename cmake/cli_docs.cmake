# cmake -DVIGIL=<vigil command> -DOUT=<dir> [-DHELP2MAN=<help2man>] -DVERSION=<x.y.z> -P cli_docs.cmake
# Writes, from the command's own --help texts:
#   OUT/man1/vigil.1, OUT/man1/vigil-<subcommand>.1  manual pages (help2man; skipped without it)
#   OUT/vigil.bash                                   bash completion of subcommands and options
#   OUT/stamp
# Subcommands are discovered from "Subcommands:" sections, two levels deep (vigil plan show).
cmake_minimum_required(VERSION 3.21)

function(help_of out_var)
  execute_process(COMMAND ${VIGIL} ${ARGN} --help RESULT_VARIABLE rc OUTPUT_VARIABLE text ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "vigil ${ARGN} --help failed (${rc}): ${err}")
  endif()
  string(REPLACE "${VIGIL}" "vigil" text "${text}")  # the usage line names the command, not a path
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

# the names listed in the "Subcommands:" section of a help text
function(subcommands_of text out_var)
  set(names)
  set(in_section FALSE)
  string(REPLACE "\n" ";" lines "${text}")
  foreach(line IN LISTS lines)
    if(line MATCHES "^Subcommands:")
      set(in_section TRUE)
    elseif(in_section AND line MATCHES "^  ([a-z][a-z0-9_-]*)( |$)")
      list(APPEND names ${CMAKE_MATCH_1})
    elseif(in_section AND NOT line MATCHES "^ ")
      set(in_section FALSE)
    endif()
  endforeach()
  set(${out_var} ${names} PARENT_SCOPE)
endfunction()

# the long and short option names of a help text (-h,--help  --plan TEXT ...)
function(options_of text out_var)
  set(opts)
  string(REPLACE "\n" ";" lines "${text}")
  foreach(line IN LISTS lines)
    if(line MATCHES "^  (-[^ ]+)")
      string(REPLACE "," ";" names "${CMAKE_MATCH_1}")
      foreach(n IN LISTS names)
        if(n MATCHES "^--?[A-Za-z0-9][A-Za-z0-9_-]*$")
          list(APPEND opts ${n})
        endif()
      endforeach()
    endif()
  endforeach()
  list(REMOVE_DUPLICATES opts)
  set(${out_var} ${opts} PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT}/man1 ${OUT}/bin)

help_of(top)
subcommands_of("${top}" subs)
options_of("${top}" top_opts)
string(REPLACE ";" " " top_subs "${subs}")
string(REPLACE ";" " " top_opts "${top_opts}")
set(bash_subs "  [vigil]=\"${top_subs}\"\n")
set(bash_opts "  [vigil]=\"${top_opts}\"\n")

foreach(s IN LISTS subs)
  help_of(h ${s})
  subcommands_of("${h}" nested)
  options_of("${h}" o)
  string(REPLACE ";" " " o "${o}")
  string(REPLACE ";" " " n "${nested}")
  string(APPEND bash_subs "  [\"vigil ${s}\"]=\"${n}\"\n")
  string(APPEND bash_opts "  [\"vigil ${s}\"]=\"${o}\"\n")
  # The page of a subcommand: its help, then each nested subcommand's help.
  set(page "${h}")
  foreach(n IN LISTS nested)
    help_of(nh ${s} ${n})
    options_of("${nh}" no)
    string(REPLACE ";" " " no "${no}")
    string(APPEND bash_opts "  [\"vigil ${s} ${n}\"]=\"${no}\"\n")
    string(APPEND page "\nvigil ${s} ${n}:\n\n${nh}")
  endforeach()
  file(WRITE ${OUT}/help-${s}.txt "${page}")
  file(WRITE ${OUT}/bin/vigil-${s}
       "#!/bin/sh\ncase \"$1\" in --help) cat '${OUT}/help-${s}.txt' ;; *) echo ${VERSION} ;; esac\n")
  file(CHMOD ${OUT}/bin/vigil-${s} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE)
endforeach()

file(WRITE ${OUT}/help-vigil.txt "${top}")
file(WRITE ${OUT}/bin/vigil "#!/bin/sh\ncase \"$1\" in --help) cat '${OUT}/help-vigil.txt' ;; *) echo ${VERSION} ;; esac\n")
file(CHMOD ${OUT}/bin/vigil PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE)

if(HELP2MAN)
  # the summary: the help text's first sentence, after "vigil — "
  string(REGEX MATCH "^[^.]*" summary "${top}")
  string(REPLACE "\n" " " summary "${summary}")
  string(REGEX REPLACE "^vigil +[^ ]+ +" "" summary "${summary}")
  execute_process(COMMAND ${CMAKE_COMMAND} -E env LC_ALL=C.UTF-8 ${HELP2MAN} --locale=C.UTF-8 --no-info --no-discard-stderr --version-string=${VERSION}
                          --name=${summary} --section=1 --output=${OUT}/man1/vigil.1 ${OUT}/bin/vigil
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "help2man vigil failed (${rc}): ${err}")
  endif()
  foreach(s IN LISTS subs)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env LC_ALL=C.UTF-8 ${HELP2MAN} --locale=C.UTF-8 --no-info --no-discard-stderr --version-string=${VERSION}
                            "--name=vigil ${s}: see vigil(1)" --section=1
                            --output=${OUT}/man1/vigil-${s}.1 ${OUT}/bin/vigil-${s}
                    RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "help2man vigil-${s} failed (${rc}): ${err}")
    endif()
  endforeach()
else()
  message(STATUS "help2man not found: the manual pages are not generated")
endif()

file(WRITE ${OUT}/vigil.bash "# bash completion for vigil (generated from its --help texts)
declare -A _vigil_subs=(
${bash_subs})
declare -A _vigil_opts=(
${bash_opts})
_vigil() {
  local cur=\"\${COMP_WORDS[COMP_CWORD]}\" path=vigil w i
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\"\${COMP_WORDS[i]}\"
    if [[ \" \${_vigil_subs[\$path]} \" == *\" \$w \"* ]]; then
      path=\"\$path \$w\"
    fi
  done
  if [[ \"\$cur\" == -* ]]; then
    COMPREPLY=(\$(compgen -W \"\${_vigil_opts[\$path]}\" -- \"\$cur\"))
  else
    COMPREPLY=(\$(compgen -W \"\${_vigil_subs[\$path]}\" -- \"\$cur\") \$(compgen -f -- \"\$cur\"))
  fi
}
complete -o filenames -F _vigil vigil
")
file(WRITE ${OUT}/stamp "")
