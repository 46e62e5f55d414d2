/* SPDX-License-Identifier: MIT */
/*
 * cli.h - the `masthead` command line: the table of subcommands (git
 * builtin/ style, one file each), argument helpers, and the progress bar.
 * Commands print results on standard output and errors on standard error,
 * and return an exit status.
 */
#ifndef MH_CLI_CLI_H
#define MH_CLI_CLI_H

#include "core/compat.h"
#include "core/str.h"

struct site;

/* ARGV[0] is the subcommand name. */
typedef int cmd_fn(int argc, char **argv);

struct cmd {
    const char *name;
    cmd_fn *fn;
    const char *usage;   /* one line: "masthead init DIR" */
    const char *summary; /* for the command list */
    const char *help;    /* the rest of `masthead help NAME` */
};

int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_images(int argc, char **argv);
int cmd_reindex(int argc, char **argv);

/* Print "usage: ..." for command NAME on stderr and return 2. */
int cli_usage(const char *name);

/* A tiny option scanner.  Options may come before or after operands;
 * "--flag value" and "--flag=value" are both accepted; "--" ends options. */
struct cli_args {
    int argc;
    char **argv;
    int i;               /* next argument */
    const char *operands[8];
    int n_operands;
    const char *cmd;     /* for messages */
};
void cli_args_init(struct cli_args *a, int argc, char **argv);
/* Next option name ("--strict") into *NAME, its inline value (or NULL) into
 * *VALUE; operands are collected on the way.  Returns false at the end. */
bool cli_next_option(struct cli_args *a, const char **name, const char **value);
/* The value of the current option: the inline one or the next argument.
 * NULL (and a message) when missing. */
const char *cli_option_value(struct cli_args *a, const char *name, const char *inline_value);
/* Parse an integer option value in [MIN, MAX]; prints the error. */
MH_MUST_CHECK int cli_int(const char *cmd, const char *name, const char *v, int64_t min,
                          int64_t max, int64_t *out);

/* Open the site in DIR or print why not; returns NULL on failure. */
struct site *cli_open_site(const char *cmd, const char *dir, bool readonly);

/* Progress on a terminal: "\rLABEL  42% [#####     ] DONE/TOTAL UNIT, N/s".  Quiet
 * when stderr is not a terminal or MH_NO_PROGRESS is set. */
struct progress {
    const char *label, *unit;
    uint64_t total, done;
    uint64_t started_ns, last_ns;
    bool active;
};
void progress_start(struct progress *p, const char *label, const char *unit, uint64_t total);
void progress_update(struct progress *p, uint64_t done);
void progress_end(struct progress *p);

#endif
