/* oracle_client.h: talk to the Go oracle running as a co-process.
 *
 * `gotrace-oracle serve` reads length-prefixed traces on stdin and answers
 * each with a length-prefixed canonical dump (docs/oracle.md). One client
 * keeps one oracle alive for thousands of queries, and restarts it if it
 * dies, so the differential fuzz target and the mutation suite pay for a
 * process start only once. */
#ifndef FUZZ_ORACLE_CLIENT_H
#define FUZZ_ORACLE_CLIENT_H

#include <stddef.h>
#include <stdint.h>

typedef struct fuzz_oracle fuzz_oracle_t;

/* The longest answer the client takes: a dump can be large (a big trace
 * prints many lines), but a reply beyond this means the protocol is out
 * of step, not a real dump. */
#define FUZZ_ORACLE_MAX_REPLY ((size_t)1 << 30)

/* Starts `path serve [extra_arg]` (extra_arg may be NULL, e.g. "-validate").
 * Returns NULL and writes a message to stderr if it cannot start. */
fuzz_oracle_t *fuzz_oracle_start(const char *path, const char *extra_arg);

/* Sends one trace and receives its dump into a buffer the client owns (valid
 * until the next call). Returns 0, or -1 if the oracle failed twice in a row
 * (the message is on stderr). */
int fuzz_oracle_query(fuzz_oracle_t *o, const uint8_t *data, size_t len,
                      const char **dump, size_t *dump_len);

/* The same query in two halves, so that the caller can work while Go
 * reads: fuzz_oracle_send writes the request, fuzz_oracle_receive (with
 * the same data, which it sends again if the oracle has to be restarted)
 * waits for the answer. Go answers only after it has read the whole
 * request, and the caller reads the answer only after it has written it,
 * so neither side can block the other. A receive without a send is a
 * whole query. Results as fuzz_oracle_query's. */
void fuzz_oracle_send(fuzz_oracle_t *o, const uint8_t *data, size_t len);
int fuzz_oracle_receive(fuzz_oracle_t *o, const uint8_t *data, size_t len, const char **dump,
                        size_t *dump_len);

/* Stops the oracle and frees the client; NULL is fine. */
void fuzz_oracle_stop(fuzz_oracle_t *o);

/* The oracle next to the running executable, or $TRACEFUZZ_ORACLE; writes
 * the path into buf and returns buf, or NULL if neither exists. */
const char *fuzz_oracle_default_path(char *buf, size_t cap);

#endif /* FUZZ_ORACLE_CLIENT_H */
