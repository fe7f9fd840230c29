# text.cmake: Go's raw text format, the wire writer and dump comparison,
# added to libgotrace. reference/CMakeLists.txt includes this file.
target_sources(gotrace PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/src/text_go.c
  ${CMAKE_CURRENT_LIST_DIR}/src/text_read.c
  ${CMAKE_CURRENT_LIST_DIR}/src/text_write.c
  ${CMAKE_CURRENT_LIST_DIR}/src/wire_write.c
  ${CMAKE_CURRENT_LIST_DIR}/src/dump_compare.c
)
