# Builds gotrace-oracle-xexp in a copy of the oracle module (cmake -P).
# Inputs: GO, DIR (the copy), OUT (the binary). The current x/exp API is
# tried first; x/exp versions from before Go 1.23's trace API need the
# compat_legacy.go variant, selected with -tags xexp_legacy.
execute_process(COMMAND ${GO} build -trimpath -o ${OUT} .
                WORKING_DIRECTORY ${DIR}
                RESULT_VARIABLE _rc ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0)
  message(STATUS "current x/exp API did not build; trying -tags xexp_legacy")
  execute_process(COMMAND ${GO} build -trimpath -tags xexp_legacy -o ${OUT} .
                  WORKING_DIRECTORY ${DIR}
                  RESULT_VARIABLE _rc ERROR_VARIABLE _err2)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "gotrace-oracle-xexp: neither API variant builds.\n"
                        "current API:\n${_err}\nlegacy API:\n${_err2}")
  endif()
endif()
