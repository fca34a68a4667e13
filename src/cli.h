/* cli — argument parsing and command wiring; the only layer that prints.
 * Kept in the library (not main.c) so tests and fuzzers can drive whole runs. */
#ifndef NFP_CLI_H
#define NFP_CLI_H

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

int cli_main(int argc, char **argv);

#endif
