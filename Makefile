# memval: member value (RFM, CLV, segments, tiers) inside PostgreSQL
EXTENSION    = memval
MODULE_big   = memval
OBJS         = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
DATA         = memval--1.0.sql
DOCS         = README.md

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=memval --inputdir=.

# Warnings are errors only in CI and test/run-tests.sh (MEMVAL_WERROR=1 there
# adds COPT=-Werror): a newer compiler's new warning must not stop a user's build.
PG_CPPFLAGS  = -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
               -Wno-missing-field-initializers -Wno-cast-function-type
PG_CONFIG   ?= pg_config
PGXS        := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# every object depends on the shared headers
$(OBJS): $(wildcard src/*.h)

# Project targets: these set up everything (packages, build, install, a
# throwaway cluster), so they also work on a fresh machine.
.PHONY: demo test
demo:
	bash demo/demo.sh
test:
	bash test/run-tests.sh
