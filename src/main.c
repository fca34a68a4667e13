/* main — nf-preflight's command line: parses arguments, wires the stages and
 * owns the exit codes. Nothing below this file prints.
 *
 * Exit codes: 0 nothing at or above the fail-on level, 1 findings at or above
 * it, 2 usage error, 3 could not read or write something. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
