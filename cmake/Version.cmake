# The git commit the binaries name in --version and stakeward_build_info. Read at configure time;
# HEAD and the branch it points at are configure dependencies, so a new commit re-runs the
# configuration and the entry points are rebuilt. Outside a git checkout it is "unknown".
set(STAKEWARD_GIT_COMMIT "unknown")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${STAKEWARD_ROOT}/.git")
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
                  WORKING_DIRECTORY ${STAKEWARD_ROOT} RESULT_VARIABLE _rc
                  OUTPUT_VARIABLE _commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(_rc EQUAL 0)
    set(STAKEWARD_GIT_COMMIT "${_commit}")
  endif()
  # HEAD, and the branch file it names (absent while the ref is packed; the next commit writes it).
  execute_process(COMMAND ${GIT_EXECUTABLE} symbolic-ref -q HEAD
                  WORKING_DIRECTORY ${STAKEWARD_ROOT} OUTPUT_VARIABLE _ref
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  foreach(_what HEAD ${_ref})
    execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --git-path ${_what}
                    WORKING_DIRECTORY ${STAKEWARD_ROOT} OUTPUT_VARIABLE _path
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(_path AND NOT IS_ABSOLUTE "${_path}")
      set(_path "${STAKEWARD_ROOT}/${_path}")
    endif()
    if(_path AND EXISTS "${_path}")
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_path}")
    endif()
  endforeach()
endif()

# sw_version_definitions(<source>...): STAKEWARD_VERSION and STAKEWARD_COMMIT for entry points.
function(sw_version_definitions)
  set_property(SOURCE ${ARGN} APPEND PROPERTY COMPILE_DEFINITIONS
    STAKEWARD_VERSION="${PROJECT_VERSION}" STAKEWARD_COMMIT="${STAKEWARD_GIT_COMMIT}")
endfunction()
