# Install rules: headers, libraries, the command, data files, the CMake package
# (find_package(vigil) -> vigil::vigil, vigil::vigil_c) and pkg-config's vigil.pc (the C ABI).
include(CMakePackageConfigHelpers)

set(VIGIL_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/vigil CACHE STRING "where vigilConfig.cmake goes")
set(VIGIL_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/vigil CACHE STRING "where plans and calendars go")

# Headers: the C++ API (vigil/*.hpp, vigil/detail/) and the C ABI (vigil/vigil.h).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/vigil
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT vigil_development
        FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")

# Libraries. vigil is static unless BUILD_SHARED_LIBS: a static vigil carries its private
# dependencies (Boost.JSON, libcrypto) as link-only requirements, which the config re-finds.
# Two export sets: the C ABI (vigil_cTargets, needs nothing) and the C++ library (vigilTargets, needs
# Boost, GSL, OpenSSL), so that a C-only project's find_package(vigil) never looks for C++ packages.
if(TARGET vigil_c)
  install(TARGETS vigil_c
          EXPORT vigil_cTargets
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT vigil_runtime
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT vigil_runtime NAMELINK_COMPONENT vigil_development
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT vigil_development
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT vigil_cTargets
          NAMESPACE vigil::
          DESTINATION ${VIGIL_INSTALL_CMAKEDIR}
          COMPONENT vigil_development)
endif()
install(TARGETS vigil
        EXPORT vigilTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT vigil_runtime
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT vigil_runtime NAMELINK_COMPONENT vigil_development
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT vigil_development
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET vigil_cli)
  install(TARGETS vigil_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT vigil_runtime)
endif()

# Data: the plans and calendars the library embeds, as files (to read, diff, or load edited copies).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/
        DESTINATION ${VIGIL_INSTALL_DATADIR}
        COMPONENT vigil_runtime
        FILES_MATCHING PATTERN "*.json" PATTERN "*.csv")

# The CMake package.
install(EXPORT vigilTargets
        NAMESPACE vigil::
        DESTINATION ${VIGIL_INSTALL_CMAKEDIR}
        COMPONENT vigil_development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/vigilConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/vigilConfig.cmake
                              INSTALL_DESTINATION ${VIGIL_INSTALL_CMAKEDIR}
                              PATH_VARS VIGIL_INSTALL_DATADIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/vigilConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION}
                                 COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/vigilConfig.cmake ${PROJECT_BINARY_DIR}/vigilConfigVersion.cmake
        DESTINATION ${VIGIL_INSTALL_CMAKEDIR}
        COMPONENT vigil_development)

# pkg-config, for C users of the C ABI: cc prog.c $(pkg-config --cflags --libs vigil)
if(TARGET vigil_c)
  # Relocatable: the prefix is found from where vigil.pc is (cmake --install --prefix elsewhere works).
  if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
    set(VIGIL_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  else()
    file(RELATIVE_PATH _up "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
    string(REGEX REPLACE "/$" "" _up "${_up}")
    set(VIGIL_PC_PREFIX "\${pcfiledir}/${_up}")
  endif()
  if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
    set(VIGIL_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
  else()
    set(VIGIL_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
  endif()
  if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
    set(VIGIL_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
  else()
    set(VIGIL_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  endif()
  if(IS_ABSOLUTE "${VIGIL_INSTALL_DATADIR}")
    set(VIGIL_PC_DATADIR "${VIGIL_INSTALL_DATADIR}")
  else()
    set(VIGIL_PC_DATADIR "\${prefix}/${VIGIL_INSTALL_DATADIR}")
  endif()
  configure_file(${PROJECT_SOURCE_DIR}/cmake/vigil.pc.in ${PROJECT_BINARY_DIR}/vigil.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/vigil.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
          COMPONENT vigil_development)
endif()

# The command's manual pages (help2man, from the --help texts) and its bash completion, generated
# from the built command so that they always say what it does. Without help2man the pages are
# skipped with a message; setup.sh installs it.
if(TARGET vigil_cli)
  find_program(VIGIL_HELP2MAN help2man)
  set(_docs ${PROJECT_BINARY_DIR}/cli-docs)
  add_custom_command(
    OUTPUT ${_docs}/stamp
    COMMAND ${CMAKE_COMMAND} -DVIGIL=$<TARGET_FILE:vigil_cli> -DOUT=${_docs}
            -DHELP2MAN=${VIGIL_HELP2MAN} -DVERSION=${PROJECT_VERSION}
            -P ${PROJECT_SOURCE_DIR}/cmake/cli_docs.cmake
    DEPENDS vigil_cli ${PROJECT_SOURCE_DIR}/cmake/cli_docs.cmake
    COMMENT "Generating the vigil command's manual pages and bash completion"
    VERBATIM)
  add_custom_target(vigil_cli_docs ALL DEPENDS ${_docs}/stamp)
  install(DIRECTORY ${_docs}/man1/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT vigil_runtime
          FILES_MATCHING PATTERN "*.1")
  install(FILES ${_docs}/vigil.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
          RENAME vigil COMPONENT vigil_runtime)
endif()

# The Python binding (pure Python over libvigil_c), into a folder on Debian's python3 path for the
# prefix (/usr/local/lib/python3/dist-packages), with the libdir it should load libvigil_c from.
set(VIGIL_INSTALL_PYTHONDIR lib/python3/dist-packages CACHE STRING "where the Python package vigil goes")
if(TARGET vigil_c)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/bindings/python/vigil
          DESTINATION ${VIGIL_INSTALL_PYTHONDIR} COMPONENT vigil_python
          FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
  install(CODE "
    set(_libdir \"${CMAKE_INSTALL_LIBDIR}\")
    if(NOT IS_ABSOLUTE \"\${_libdir}\")
      set(_libdir \"\${CMAKE_INSTALL_PREFIX}/\${_libdir}\")
    endif()
    set(_pydir \"${VIGIL_INSTALL_PYTHONDIR}\")
    if(NOT IS_ABSOLUTE \"\${_pydir}\")
      set(_pydir \"\${CMAKE_INSTALL_PREFIX}/\${_pydir}\")
    endif()
    file(WRITE \"\$ENV{DESTDIR}\${_pydir}/vigil/_install.py\"
         \"# Written by cmake --install: where this installation put libvigil_c.\\nLIBDIR = \\\"\${_libdir}\\\"\\n\")
    message(STATUS \"Installing: \$ENV{DESTDIR}\${_pydir}/vigil/_install.py\")
  " COMPONENT vigil_python)
endif()

# The Java binding: vigil.jar and its JNI library (java -Djava.library.path=<libdir> or
# -Dvigil.jni.library=<path>).
if(TARGET vigil_java AND TARGET vigil_jni)
  install_jar(vigil_java DESTINATION ${CMAKE_INSTALL_DATADIR}/java COMPONENT vigil_java)
  install(TARGETS vigil_jni LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT vigil_java)
endif()

# Licence and changelog beside the documentation.
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/CHANGELOG.md ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT vigil_runtime)

# A Debian package of the whole installation: cd build && cpack -G DEB
set(CPACK_PACKAGE_NAME vigil)
set(CPACK_PACKAGE_VENDOR "vigil")
set(CPACK_PACKAGE_CONTACT "vigil maintainers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "default-jre-headless, libboost1.81-dev, libmsgsl-dev, libssl-dev")
include(CPack)
