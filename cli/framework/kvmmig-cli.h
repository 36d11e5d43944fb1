/* kvmmig-cli.h: what the files of the kvmmig command share: the types of
 * the command table (each command defines its CliCommand, with its options
 * and help texts, in commands/kvmmig-cmd-NAME.c; kvmmig.c lists them; the
 * same table gives --help and the man page), the exit codes, parsed
 * arguments, and the framework/ helpers, each section naming its file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdio.h>

#include <json-glib/json-glib.h>
#include <libkvmmig/kvmmig.h>

G_BEGIN_DECLS

/* ------------------------------------------------------------------ */
/* Exit codes (documented from cli_exit_codes[] in kvmmig-manual.c)     */

typedef enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_FAILED = 1,            /* an error no other code covers */
  CLI_EXIT_USAGE = 2,             /* bad command, option or value */
  CLI_EXIT_UNREACHABLE = 3,       /* a host could not be reached */
  CLI_EXIT_PREFLIGHT = 4,         /* a pre-flight check failed */
  CLI_EXIT_MIGRATION_FAILED = 5,  /* failed; the guest runs on the source */
  CLI_EXIT_CANCELLED = 6,         /* cancelled; the guest runs on the source */
  CLI_EXIT_GUEST_LOST = 7,        /* the guest is not on the source: lost, stopped, or unknown */
  CLI_EXIT_STORAGE = 8,           /* a store or volume refused or failed the operation */
  CLI_N_EXITS
} CliExit;

#define CLI_EXIT_BIT(code) (1u << (code))

/* The exit codes of every command that works through hosts; each command
 * adds its own to them in its CliCommand's .exit_codes. */
#define CLI_EXIT_BITS_HOSTS                                                   \
  (CLI_EXIT_BIT (CLI_EXIT_OK) | CLI_EXIT_BIT (CLI_EXIT_FAILED) |              \
   CLI_EXIT_BIT (CLI_EXIT_USAGE) | CLI_EXIT_BIT (CLI_EXIT_UNREACHABLE) |      \
   CLI_EXIT_BIT (CLI_EXIT_CANCELLED))

typedef struct
{
  CliExit code;
  const char *name;               /* for --json: "preflight-failed" */
  const char *help;
} CliExitCode;

extern const CliExitCode cli_exit_codes[CLI_N_EXITS];

/* ------------------------------------------------------------------ */
/* The command table                                                    */

typedef struct _CliArgs CliArgs;

/* Runs a command whose arguments were parsed; returns its exit code. */
typedef int (*CliHandler) (CliArgs *args);

typedef struct
{
  const char *long_name;          /* "bandwidth": --bandwidth */
  char short_name;                /* 0 for none */
  const char *arg;                /* "MiB/s"; NULL for a flag */
  const char *help;
} CliOption;

/* Options that several commands share and the man page documents once,
 * in a section of their own (the store's description, for the store and
 * volume commands). */
typedef struct
{
  const char *title;              /* "Store options"; upper case in the man page */
  const char *summary;            /* one paragraph, shown in each command's --help */
  const char *description;        /* paragraphs, for the man page's section */
  const CliOption *options;       /* ends with { NULL } */
} CliOptionGroup;

/* How kvmmig takes an option of virsh's (virsh migrate's, for kvmmig
 * migrate): every one of them is in the command's .virsh table, which the
 * man page prints as a table, so that a virsh user sees what each does. */
typedef enum {
  CLI_VIRSH_MAPPED,               /* taken, with virsh's meaning, mapped onto
                                   * the library's options (an option of
                                   * .options, or handled by the command) */
  CLI_VIRSH_ALWAYS,               /* accepted and ignored: kvmmig always does it */
  CLI_VIRSH_REFUSED,              /* refused (exit code 2) with .text, which
                                   * names kvmmig's way if it has one */
} CliVirshKind;

typedef struct
{
  const char *long_name;          /* "copy-storage-all" */
  const char *arg;                /* "FILE"; NULL for a flag */
  CliVirshKind kind;
  const char *text;               /* what kvmmig does with it (the error
                                   * message after "--NAME: " if refused) */
} CliVirshOption;

/* The --json option of a command with a .json text (the help shown is
 * that text); a one-option table, ending with { NULL }. */
extern const CliOption cli_json_option[];

typedef struct _CliCommand CliCommand;
struct _CliCommand
{
  const char *name;               /* "migrate" */
  const char *usage;              /* "GUEST --from URI --to URI [OPTION...]" */
  const char *summary;            /* one line, for the list of commands */
  const char *description;        /* paragraphs; see kvmmig-cli-help.c */
  const CliOption *options;       /* ends with { NULL } */
  const char *json;               /* what --json prints: the help of the --json
                                   * option, which the framework adds after
                                   * .options; NULL: no --json */
  const CliOptionGroup *group;    /* more options, shared with other commands */
  guint exit_codes;               /* CLI_EXIT_BIT()s it can return */
  const char *examples;           /* verbatim lines */
  CliHandler handler;             /* NULL when it has subcommands */
  gboolean connect;               /* takes the global -c URI */
  const CliVirshOption *virsh;    /* virsh's options for this command, ends with
                                   * { NULL }: those not in .options are parsed
                                   * too (hidden from the option list), refused
                                   * ones refused by the parser */
  const char *virsh_intro;        /* the paragraph before their table in the man page */
  const CliCommand *const *subcommands;  /* ends with NULL: `kvmmig volume create` */
};

typedef struct
{
  const char *title;              /* "JSON output"; upper case in the man page */
  const char *body;               /* paragraphs */
} CliSection;

/* kvmmig.c: the commands, in the order --help lists them */
extern const CliCommand *const cli_commands[];  /* ends with NULL */

/* kvmmig-manual.c */
extern const char *const cli_name_line;       /* the man page's NAME */
extern const char *const cli_description;     /* what kvmmig is */
extern const CliOption cli_global_options[];  /* -c, --help, --version */
extern const CliSection cli_sections[];       /* ends with { NULL } */

/* framework/kvmmig-cli-help.c: --help, and the man page (an option group
 * is documented once, in a section of its own) */
void cli_print_usage        (FILE             *out);
void cli_print_command_help (FILE             *out,
                             const char       *path,
                             const CliCommand *command);
void cli_print_man          (FILE             *out);

/* framework/kvmmig-cli-complete.c: the hidden `kvmmig __complete`, which
 * the bash completion asks for the commands, a command's options and the
 * guests of a host (@connect: the global -c URI, or NULL). */
int  cli_complete           (const char       *connect,
                             int               argc,
                             char            **argv);

/* ------------------------------------------------------------------ */
/* Arguments (kvmmig-cli-args.c)                                        */

#define CLI_ERROR (cli_error_quark ())
GQuark cli_error_quark (void);

typedef enum {
  CLI_ERROR_USAGE,                /* exit code 2 */
} CliError;

struct _CliArgs
{
  const CliCommand *command;
  char *path;                     /* "migrate", or "volume create" */
  GHashTable *values;             /* long name -> value ("" for a flag); the last one */
  GHashTable *lists;              /* long name -> GPtrArray of every value given */
  GPtrArray *positional;          /* char * */
  gboolean json;
  const char *connect;            /* the global -c URI (owned by main); NULL if
                                   * not given or empty: libvirt's default */
  gboolean connect_given;         /* -c was given */
};

CliArgs    *cli_args_parse     (const CliCommand  *command,
                                const char        *path,
                                int                argc,
                                char             **argv,
                                gboolean          *help,
                                GError           **error);
void        cli_args_free      (CliArgs           *args);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliArgs, cli_args_free)

const char *cli_args_get       (CliArgs           *args,
                                const char        *long_name);
gboolean    cli_args_flag      (CliArgs           *args,
                                const char        *long_name);
/* Every value of an option that may be given more than once (--to URI
 * --to URI), in order; an empty array if none. */
GPtrArray  *cli_args_get_all   (CliArgs           *args,
                                const char        *long_name);

/* Validators: each sets a CLI_ERROR_USAGE error naming the option. */
gboolean    cli_parse_uint     (const char        *option,
                                const char        *value,
                                guint64            min,
                                guint64            max,
                                const char        *unit,
                                guint64           *out,
                                GError           **error);
/* A size in bytes: a number, or with a unit (K, M, G, T, P, also KiB...:
 * powers of 1024; KB, MB...: powers of 1000). */
gboolean    cli_parse_size     (const char        *option,
                                const char        *value,
                                guint64           *out,
                                GError           **error);
/* A host as libvirt takes it: a URI (qemu+ssh://HOST/system) or an alias
 * of libvirt's client config (uri_aliases, a bare word such as hv1);
 * whether it opens is for libvirt to say. */
gboolean    cli_check_host_uri (const char        *option,
                                const char        *uri,
                                GError           **error);
/* @uri for a message: itself, or "libvirt's default URI" for NULL. */
const char *cli_uri_label      (const char        *uri);
gboolean    cli_require        (CliArgs           *args,
                                const char        *long_name,
                                GError           **error);
/* --OPTION URI given at least @min times (and each a libvirt URI), or a
 * CLI_ERROR_USAGE error. */
GPtrArray  *cli_require_uris   (CliArgs           *args,
                                const char        *long_name,
                                guint              min,
                                GError           **error);
gboolean    cli_positional     (CliArgs           *args,
                                guint              min,
                                guint              max,
                                const char        *what,
                                GError           **error);

/* ------------------------------------------------------------------ */
/* Errors, exit codes, formats (kvmmig-cli-output.c)                    */

/* @message on one line, valid UTF-8, whatever libvirt put in it. */
char       *cli_one_line       (const char        *message);
/* Prints "kvmmig: MESSAGE" on one line on stderr. */
void        cli_error_line     (const char        *message);
/* The exit code for an error outside a running migration. */
CliExit     cli_exit_for_error (const GError      *error);
/* For commands that go through several hosts: keeps @error as the
 * command's outcome (and its exit code in @code) if it is the first. */
void        cli_keep_first_error (GError         **first_error,
                                  GError         **error,
                                  int             *code);
/* For a read-only command interrupted by a signal: makes that the outcome
 * ("interrupted; nothing was changed"), said on stderr. */
void        cli_outcome_interrupted (GError      **first_error,
                                     int          *code);
/* Reports @error (one line on stderr) and returns its exit code; with
 * --json, also prints a result object for it. */
int         cli_fail           (CliArgs           *args,
                                const GError      *error);

const char *cli_enum_nick      (GType              type,
                                int                value);
char       *cli_format_size    (guint64            bytes);
/* @done of @total in the unit of @total: "28.8/64.0 MiB". */
char       *cli_format_size_of (guint64            done,
                                guint64            total);
char       *cli_format_duration (gint64           ms);
/* A guest's downtime: "12 ms", or "unknown" for a negative @ms. */
char       *cli_format_downtime (gint64           ms);

/* ------------------------------------------------------------------ */
/* JSON lines (kvmmig-cli-json.c)                                       */

/* The version of the --json format, in every object as "kvmmig_json":
 * stable within kvmmig 1.x (members are added, none is removed or changes
 * its meaning); documented in the JSON output section of kvmmig-manual.c. */
#define CLI_JSON_FORMAT 1

/* One JSON object on one line of stdout, flushed. */
void        cli_json_print     (JsonBuilder       *builder);
JsonBuilder *cli_json_begin    (const char        *type);
void        cli_json_error     (JsonBuilder       *builder,
                                const GError      *error);
/* Members: a string (NULL gives null; made valid UTF-8), an integer. */
void        cli_json_string    (JsonBuilder       *builder,
                                const char        *name,
                                const char        *value);
void        cli_json_int       (JsonBuilder       *builder,
                                const char        *name,
                                gint64             value);
void        cli_json_bool      (JsonBuilder       *builder,
                                const char        *name,
                                gboolean           value);
/* An array of strings (NULL gives an empty array). */
void        cli_json_strv      (JsonBuilder       *builder,
                                const char        *name,
                                const char * const *strv);
void        cli_json_result    (CliArgs           *args,
                                int                exit_code,
                                const GError      *error);
/* A result object with the common members, for the caller to add its own
 * and print with cli_json_print(). */
JsonBuilder *cli_json_result_begin (CliArgs       *args,
                                    int            exit_code,
                                    const GError  *error);

/* ------------------------------------------------------------------ */
/* Ctrl-C (kvmmig-cli-interrupt.c)                                      */

/* Ctrl-C (SIGINT), SIGTERM and SIGHUP: the first cancels the returned
 * cancellable and calls @on_interrupt with count 1, later ones only call
 * it (count 2, 3...). */
typedef void (*CliInterruptFunc) (guint count, gpointer user_data);
GCancellable *cli_interrupt_install (CliInterruptFunc on_interrupt,
                                     gpointer         user_data);
void          cli_interrupt_remove  (void);
gboolean      cli_interrupted       (void);
/* Replaces *error with a G_IO_ERROR_CANCELLED one if interrupted. */
void          cli_interrupted_error (GError **error);
/* What a command says when Ctrl-C came before any migration started. */
#define CLI_INTERRUPTED_BEFORE_MIGRATING \
  "interrupted before anything was migrated; nothing was changed"
/* Says @message on stderr and quits at once (exit code 6), without
 * waiting for anything: for a Ctrl-C when nothing was changed. */
G_NORETURN void cli_quit_interrupted (const char *message);
/* The CliInterruptFunc of a command that changes nothing: a second
 * Ctrl-C quits at once (exit code 6), saying that nothing was changed. */
void          cli_interrupt_read_only (guint    count,
                                       gpointer user_data);

/* ------------------------------------------------------------------ */
/* Async calls, hosts (kvmmig-cli-async.c)                              */

/* Iterates the default main context until *result is set. */
GAsyncResult *cli_wait         (GAsyncResult     **result);
void          cli_store_result (GObject           *source,
                                GAsyncResult      *result,
                                gpointer           user_data);

/* Answers what @host's daemon asks for while it opens, on the terminal
 * (kvmmig-cli-auth.c). */
void          cli_auth_attach  (KvmmigHost        *host);

/* Opens a host (async, cancellable by Ctrl-C), asking on the terminal for
 * the credentials its daemon wants. */
KvmmigHost   *cli_open_host    (const char        *uri,
                                GCancellable      *cancellable,
                                GError           **error);
/* Opens each host of @uris (Ctrl-C cancels); NULL with the first error. */
GPtrArray    *cli_open_hosts   (GPtrArray         *uris,
                                GCancellable      *cancellable,
                                GError           **error);

/* For a command that reports on several hosts in turn (hosts, volume
 * list): does one host's part and prints its report, as text or JSON;
 * FALSE with @error when that host failed. */
typedef gboolean (*CliHostReportFunc) (const char    *uri,
                                       GCancellable  *cancellable,
                                       gpointer       user_data,
                                       GError       **error);
/* With --json: prints the object that says that a host failed. */
typedef void     (*CliHostFailedFunc) (const char    *uri,
                                       const GError  *error,
                                       gpointer       user_data);
/* Calls @report for each of the @n_uris @uris in turn (a NULL URI is this
 * machine), with an empty line between their texts, until Ctrl-C. A host
 * that fails gives its error line (and @json_failed's object) and the
 * others are still reported. Returns the exit code, that of the first
 * failure, or CLI_EXIT_CANCELLED when interrupted (that is the outcome,
 * whatever failed before); *first_error then says why, and *n_failed
 * counts the hosts that failed. */
int           cli_report_each_host (CliArgs           *args,
                                    GCancellable      *cancellable,
                                    const char *const *uris,
                                    guint              n_uris,
                                    CliHostReportFunc  report,
                                    CliHostFailedFunc  json_failed,
                                    gpointer           user_data,
                                    guint             *n_failed,
                                    GError           **first_error);

/* ------------------------------------------------------------------ */
/* The live progress line (kvmmig-cli-progress.c)                       */

typedef struct _CliStatusLine CliStatusLine;

/* On a terminal, a line redrawn in place with carriage returns; otherwise
 * plain lines, at most one every @plain_interval_ms. */
CliStatusLine *cli_status_line_new   (FILE          *out,
                                      gint64         plain_interval_ms);
void           cli_status_line_free  (CliStatusLine *line);
gboolean       cli_status_line_is_tty (CliStatusLine *line);
/* Shows @text as the live line (on a terminal: in place). @force prints it
 * even off a terminal within the interval. */
void           cli_status_line_update (CliStatusLine *line,
                                       const char    *text,
                                       gboolean       force);
/* Prints a permanent line above the live line. */
void           cli_status_line_print  (CliStatusLine *line,
                                       const char    *text);
/* Clears the live line (on a terminal) before the final output. */
void           cli_status_line_clear  (CliStatusLine *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliStatusLine, cli_status_line_free)

/* ------------------------------------------------------------------ */
/* The shared store (kvmmig-cli-store.c), for the store and volume      */
/* commands                                                             */

/* The store options, documented once in the man page. */
extern const CliOptionGroup cli_store_description;

/* The exit codes of the store and volume commands. */
#define CLI_STORE_EXIT_CODES (CLI_EXIT_BITS_HOSTS | CLI_EXIT_BIT (CLI_EXIT_STORAGE))

/* The store's description from the store options; the
 * store's name is the first positional argument. A CHAP secret is read
 * from --chap-secret-file (or standard input), never from the arguments. */
KvmmigSharedStore  *cli_store_from_args (CliArgs            *args,
                                         GError            **error);
/* Ctrl-C for the store and volume commands: for a @changing command,
 * the operation under way finishes or is undone, however often Ctrl-C is
 * pressed; otherwise a second Ctrl-C quits at once. */
void                cli_store_interrupt_install (CliArgs       *args,
                                                 gboolean       changing,
                                                 GCancellable **cancellable);

/* ------------------------------------------------------------------ */
/* Migrations (kvmmig-cli-migration.c), for migrate, check, evacuate    */

/* A migration as given on the command line, in either form: kvmmig's,
 * GUEST --from URI --to URI; or virsh's, [-c URI] GUEST DESTURI (also
 * --domain GUEST, --desturi URI), whose source is -c or, without it,
 * libvirt's default URI (NULL). The strings belong to the args. */
typedef struct
{
  const char *guest;              /* as given: a name (or a UUID, an ID) */
  const char *source;             /* NULL: libvirt's default URI */
  const char *destination;
  gboolean virsh_form;            /* GUEST DESTURI: virsh's defaults apply */
} CliJobTarget;

/* Validates the guest and the hosts of either form, without calling the
 * library. */
gboolean            cli_check_job_args (CliArgs            *args,
                                        CliJobTarget       *target,
                                        GError            **error);
/* Opens both hosts and makes the job; when Ctrl-C came meanwhile, the
 * error says so (cli_interrupted_error()). */
KvmmigMigrationJob *cli_open_job       (const CliJobTarget *target,
                                        GCancellable       *cancellable,
                                        GError            **error);
/* The URI of the host the guest runs on after the job (for "guest_host"
 * in JSON); NULL if neither, or not known. */
const char         *cli_job_guest_host (KvmmigMigrationJob *job);
void                cli_print_check    (FILE               *out,
                                        KvmmigCheck        *check);
void                cli_json_check     (KvmmigCheck        *check);

/* The disk copy, for hosts that share no storage (migrate, check):
 * virsh's --copy-storage-all and --copy-storage-inc, and kvmmig's options
 * of the copy, which need one of them. */
typedef struct
{
  KvmmigStorageCopy copy;         /* --copy-storage-all, --copy-storage-inc */
  const char *pool;               /* --copy-storage-pool (owned by the args); NULL: the library's choice */
  gboolean reuse_destination_disks; /* --reuse-destination-disks */
  gboolean remove_source_disks;   /* --remove-source-disks */
} CliCopyStorageOptions;

/* Checks the disk copy's options given (none: no copy); a CLI_ERROR_USAGE
 * error names the first bad one. cli_migration_options_parse() calls it;
 * check, which takes no other migration option, calls it alone. */
gboolean cli_copy_storage_options_parse (CliArgs                     *args,
                                         CliCopyStorageOptions       *options,
                                         GError                     **error);
void     cli_copy_storage_options_apply_to_job (const CliCopyStorageOptions *options,
                                                KvmmigMigrationJob          *job);

/* The migration options as given; those a command does not take keep
 * their defaults. */
typedef struct
{
  guint64 bandwidth;              /* --bandwidth, MiB/s; 0: no limit */
  guint64 max_downtime;           /* --max-downtime, ms; 0: the library's default */
  KvmmigMigrationPolicy policy;   /* --policy, --auto-converge, --postcopy... */
  gboolean allow_postcopy;        /* --allow-postcopy, --postcopy */
  int timeout_ms;                 /* --abort-after; 0: the library's default, -1: none */
  int recovery_timeout_ms;        /* --postcopy-recovery-timeout; -1: the library's default */
  gboolean persistent;            /* defined on the destination */
  gboolean undefine_source;       /* undefined on the source */
  gboolean tls;                   /* --tls */
  gboolean require_disk_locking;  /* --require-disk-locking */
  gboolean allow_cluster_managed; /* --allow-cluster-managed */
  KvmmigCompression compression;  /* --compressed, --comp-methods */
  guint parallel_connections;     /* --parallel, --parallel-connections; 0: one */
  const char *migration_uri;      /* --migration-uri or --migrateuri (owned by the args) */
  CliCopyStorageOptions copy;     /* --copy-storage-all or -inc, and the copy's options */
} CliMigrationOptions;

/* Checks every migration option given, before the library sees any; a
 * CLI_ERROR_USAGE error names the first bad one. With @virsh_form, the
 * defaults are virsh migrate's (plain pre-copy, no time limit, the guest
 * left transient on the destination and defined on the source); without,
 * kvmmig's (the auto policy, the automatic time limit, the definition
 * moved to the destination). */
gboolean cli_migration_options_parse (CliArgs                    *args,
                                      gboolean                    virsh_form,
                                      CliMigrationOptions        *options,
                                      GError                    **error);
void     cli_migration_options_apply_to_job (const CliMigrationOptions *options,
                                             KvmmigMigrationJob        *job);
/* The job's options as it holds them, as the members of a JSON object. */
void     cli_json_job_options (JsonBuilder                *builder,
                               KvmmigMigrationJob         *job);
/* Those an evacuation takes: --bandwidth, --allow-postcopy, --policy, --tls,
 * --require-disk-locking, --allow-cluster-managed. */
void     cli_migration_options_apply_to_evacuation (const CliMigrationOptions *options,
                                                    KvmmigEvacuation          *evacuation);

G_END_DECLS
