#!/bin/sh
# Entry of the pre-commit hooks that run the release binary (no compiler
# needed): fetches it once (scripts/fetch-release.sh), then runs it.
set -e
bin=$("$(dirname "$0")/fetch-release.sh")
exec "$bin" "$@"
