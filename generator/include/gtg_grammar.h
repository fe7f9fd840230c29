/* gtg_grammar.h: the trace grammar, loaded from text at run time.
 *
 * A grammar is a list of weighted productions, each of which rewrites one
 * nonterminal (a decision point of the generator: "what happens next in
 * this generation", "how does this initial goroutine start") into a
 * sequence of actions, the scheduler model's primitive moves. A production
 * can carry a version gate and explicit guards; every action has its own
 * precondition too, so the generator only ever offers moves the model can
 * make. Weights and new productions built from existing actions need no C
 * change: edit generator/grammar/default.grammar or pass --grammar FILE.
 * docs/grammar.md describes the language. */
#ifndef GTG_GRAMMAR_H
#define GTG_GRAMMAR_H

#include <stddef.h>
#include <stdint.h>

#include "gotrace_spec.h"
#include "gtg_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The decision points the generator asks the grammar about. */
typedef enum gtg_nt {
    GTG_NT_WORLD_G,  /* the state of one goroutine when the trace starts */
    GTG_NT_WORLD_GC, /* whether a GC cycle is running when the trace starts */
    GTG_NT_STEP,     /* one step of the scheduler inside a generation */
    GTG_NT_BOUNDARY, /* what happens to a P left in a syscall at a boundary */
    GTG_NT_SYNC,     /* where the sync (frequency/clock) batch goes */
    GTG_NT_BATCHES,  /* how an M's events are cut into batches */
    GTG_NT_CPU,      /* whether a generation carries CPU samples */
    GTG_NT_COUNT
} gtg_nt_t;

/* Size limits the grammar sets as defaults (the CLI may override). */
typedef enum gtg_limit {
    GTG_LIMIT_EVENTS,      /* events in the whole trace */
    GTG_LIMIT_GENERATIONS, /* generations in the trace */
    GTG_LIMIT_GOROUTINES,  /* goroutines, initial and created */
    GTG_LIMIT_PROCS,       /* the most Ps (GOMAXPROCS ceiling) */
    GTG_LIMIT_THREADS,     /* the most Ms */
    GTG_LIMIT_STACK_DEPTH, /* frames per stack */
    GTG_LIMIT_COUNT
} gtg_limit_t;

typedef struct gtg_grammar gtg_grammar_t;

/* Parses grammar text. On GTG_ERR_GRAMMAR, *out is NULL and errbuf (if
 * given) holds "line N: message". */
gtg_err_t gtg_grammar_parse(const char *text, size_t len, gtg_grammar_t **out, char *errbuf,
                            size_t errlen);
/* The default grammar compiled into the library. */
gtg_err_t gtg_grammar_default(gtg_grammar_t **out, char *errbuf, size_t errlen);
/* The text of the default grammar (NUL-terminated, static). */
const char *gtg_grammar_default_text(void);
void gtg_grammar_free(gtg_grammar_t *g);

uint64_t gtg_grammar_limit(const gtg_grammar_t *g, gtg_limit_t which);
size_t gtg_grammar_count(const gtg_grammar_t *g, gtg_nt_t nt);
const char *gtg_nt_name(gtg_nt_t nt);
const char *gtg_limit_name(gtg_limit_t l);

#ifdef __cplusplus
}
#endif
#endif /* GTG_GRAMMAR_H */
