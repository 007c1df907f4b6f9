/* main: command line (SPEC section 5), config loading, and the --once
 * report. The live screens hang off the same ingest and view. */
#include "cxtop/alert.h"
#include "cxtop/config.h"
#include "cxtop/detect.h"
#include "cxtop/ingest.h"
#include "cxtop/keep.h"
#include "cxtop/report.h"
#include "cxtop/ui.h"
#include "cxtop/util.h"
#include "cxtop/view.h"

#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAIN_EXIT_DATA 1
#define MAIN_EXIT_USAGE 2

static const char main_usage[] =
	"Usage: cxtop [options] [DATA_DIR]\n"
	"Live terminal dashboard of marketing and customer-experience metrics from CSV\n"
	"exports: vanity metrics beside the retention metrics that say whether\n"
	"customers stay.\n"
	"\n"
	"  -c, --config FILE      config file (default: $XDG_CONFIG_HOME/cxtop/config.ini,\n"
	"                         then ~/.config/cxtop/config.ini; none is fine)\n"
	"  -t, --theme NAME|FILE  theme by name or path\n"
	"  -w, --window WINDOW    7d, 30d, 90d or all (default 30d)\n"
	"      --once             print a snapshot and exit (no terminal needed)\n"
	"  -j, --threads N        threads for reading (default: the online CPUs)\n"
	"      --format FORMAT    with --once: text, json or csv (default text)\n"
	"      --ascii            ASCII-only drawing\n"
	"      --no-color         no colour (same as NO_COLOR)\n"
	"      --detect FILE...   print a config that reads these export files, and exit\n"
	"      --state FILE       keep the counted state in FILE (default: one per config\n"
	"                         and data directory in $XDG_STATE_HOME/cxtop/)\n"
	"      --no-state         neither read nor write a state: read every file whole\n"
	"  -h, --help             show this help and exit\n"
	"  -V, --version          show the version and exit\n"
	"\n"
	"DATA_DIR defaults to the config's data_dir, else the current directory.\n"
	"Files read there: events.csv, responses.csv, customers.csv, campaigns.csv,\n"
	"awareness.csv (each optional; see man cxtop for mapping other layouts).\n"
	"First export of your own: cxtop --detect export.csv > cxtop.ini; cxtop -c cxtop.ini\n"
	"Exit status: 0 ok, 1 bad data or config, 2 bad usage.\n";

struct main_opts {
	const char *config;
	const char *theme;
	const char *data_dir;
	int window;      /* -1 = from config */
	int threads;     /* -1 = from config */
	int once;
	int format;
	int ascii;
	int no_color;
	const char *state; /* --state FILE, or NULL */
	int no_state;
	int detect;      /* --detect: argv[detect_first ...] are files */
	int detect_first;
};

static void main_usage_error(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void main_usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("cxtop: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'cxtop --help'.\n", stderr);
	exit(MAIN_EXIT_USAGE);
}

static void main_parse(int argc, char **argv, struct main_opts *o)
{
	enum { OPT_ONCE = 256, OPT_FORMAT, OPT_ASCII, OPT_NO_COLOR, OPT_DETECT, OPT_STATE,
	       OPT_NO_STATE };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "theme", required_argument, NULL, 't' },
		{ "window", required_argument, NULL, 'w' },
		{ "threads", required_argument, NULL, 'j' },
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "detect", no_argument, NULL, OPT_DETECT },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "no-state", no_argument, NULL, OPT_NO_STATE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, fmt_given = 0;

	memset(o, 0, sizeof *o);
	o->window = -1;
	o->threads = -1;
	o->format = REPORT_TEXT;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:t:w:j:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 't':
			o->theme = optarg;
			break;
		case 'w':
			o->window = config_parse_window(optarg);
			if (o->window < 0)
				main_usage_error("bad window '%s' (use 7d, 30d, 90d or all)", optarg);
			break;
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (end == optarg || *end || n < 1 || n > 1024)
				main_usage_error("bad thread count '%s' (use 1 to 1024)", optarg);
			o->threads = (int)n;
			break;
		}
		case OPT_ONCE:
			o->once = 1;
			break;
		case OPT_FORMAT:
			o->format = report_parse_format(optarg);
			if (o->format < 0)
				main_usage_error("bad format '%s' (use text, json or csv)", optarg);
			fmt_given = 1;
			break;
		case OPT_ASCII:
			o->ascii = 1;
			break;
		case OPT_NO_COLOR:
			o->no_color = 1;
			break;
		case OPT_DETECT:
			o->detect = 1;
			break;
		case OPT_STATE:
			if (!optarg[0])
				main_usage_error("%s", "--state needs a file");
			o->state = optarg;
			break;
		case OPT_NO_STATE:
			o->no_state = 1;
			break;
		case 'h':
			fputs(main_usage, stdout);
			exit(0);
		case 'V':
			printf("cxtop %s\n", CXTOP_VERSION);
			exit(0);
		case ':':
			main_usage_error("option '%s' needs a value", argv[optind - 1]);
			break;
		default:
			main_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (o->detect) {
		if (optind == argc)
			main_usage_error("%s", "--detect needs one or more files");
		if (o->once || fmt_given)
			main_usage_error("%s", "--detect prints a config; it goes without --once");
		o->detect_first = optind;
		return;
	}
	if (optind < argc)
		o->data_dir = argv[optind++];
	if (optind < argc)
		main_usage_error("unexpected argument '%s'", argv[optind]);
	if (fmt_given && !o->once)
		main_usage_error("%s", "--format goes with --once");
	if (o->state && o->no_state)
		main_usage_error("%s", "--state and --no-state go one without the other");
}

/* Lines for the user on standard error, each "cxtop: LINE". */
static void main_say(const char *lines)
{
	while (*lines) {
		const char *end = strchr(lines, '\n');
		int l = end ? (int)(end - lines) : (int)strlen(lines);
		fprintf(stderr, "cxtop: %.*s\n", l, lines);
		lines += l + (end ? 1 : 0);
	}
}

/* The default config: $XDG_CONFIG_HOME/cxtop/config.ini if it exists,
 * else ~/.config/cxtop/config.ini. Returns a heap path or NULL. */
static char *main_default_config(void)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");
	if (x && *x) {
		char *p = xasprintf("%s/cxtop/config.ini", x);
		if (access(p, F_OK) == 0 || !h || !*h)
			return p;
		free(p);
	}
	if (h && *h)
		return xasprintf("%s/.config/cxtop/config.ini", h);
	return NULL;
}

int main(int argc, char **argv)
{
	struct main_opts o;
	struct config cfg;
	char err[1024];
	int status = 0;

	main_parse(argc, argv, &o);
	/* a write past the file size limit fails (EFBIG) instead of ending
	 * cxtop: the state is then not written, and the dashboard goes on */
	signal(SIGXFSZ, SIG_IGN);
	if (o.detect)
		return detect_main(stdout, stderr, argv + o.detect_first, argc - o.detect_first);
	config_defaults(&cfg);
	if (o.config) {
		if (config_load(&cfg, o.config, 1, err, sizeof err) < 0) {
			fprintf(stderr, "cxtop: %s\n", err);
			config_free(&cfg);
			return MAIN_EXIT_DATA;
		}
	} else {
		char *def = main_default_config();
		if (def && config_load(&cfg, def, 0, err, sizeof err) < 0) {
			fprintf(stderr, "cxtop: %s\n", err);
			free(def);
			config_free(&cfg);
			return MAIN_EXIT_DATA;
		}
		free(def);
	}
	if (o.window >= 0)
		cfg.window_days = o.window;
	if (o.threads >= 1)
		cfg.threads = o.threads;
	const char *dir = o.data_dir ? o.data_dir : cfg.data_dir ? cfg.data_dir : ".";
	struct stat st;
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "cxtop: %s: not a directory\n", dir);
		config_free(&cfg);
		return MAIN_EXIT_USAGE;
	}
	if (!o.once) {
		if (!isatty(STDOUT_FILENO)) {
			fputs("cxtop: standard output is not a terminal; use --once for a report "
			      "(--once --format text|json|csv)\n",
			      stderr);
			config_free(&cfg);
			return MAIN_EXIT_USAGE;
		}
		struct ui_opts uo = { .data_dir = dir, .theme = o.theme, .ascii = o.ascii,
				      .no_color = o.no_color, .state = o.state,
				      .no_state = o.no_state };
		status = ui_run(&cfg, &uo);
		config_free(&cfg);
		return status;
	}

	struct ingest *in = ingest_new(&cfg, dir);
	ingest_set_threads(in, config_threads(&cfg));
	/* the state of the last run (cron gets the speed too): only what
	 * changed since is read; what cannot be trusted is read again */
	char smsg[4096] = "";
	struct keep *k = o.no_state ? NULL : keep_open(&cfg, dir, o.state, smsg, sizeof smsg);
	/* the view's memo is kept with the state: a restart folds in only
	 * the rows read since */
	struct view_memo *memo = view_memo_new();
	if (k)
		keep_restore(k, in, memo, smsg, sizeof smsg);
	main_say(smsg);
	ingest_read_all(in);
	ingest_flush_partial(in);
	int64_t now = cfg.now_clock ? (int64_t)time(NULL) : INT64_MIN;
	struct view *v = view_build_memo(ingest_store(in), &cfg, cfg.window_days, now, memo);
	alert_build(v, &cfg);
	if (report_write(stdout, o.format, v, in, &cfg, o.ascii) < 0) {
		fprintf(stderr, "cxtop: cannot write the report\n");
		status = MAIN_EXIT_DATA;
	}
	for (size_t i = 0; i < ingest_nsources(in); i++) {
		const struct ingest_source *s = ingest_source(in, i);
		if (s->header_error) {
			fprintf(stderr, "cxtop: %s\n", s->header_error);
			status = MAIN_EXIT_DATA;
		}
	}
	if (k && keep_save(k, in, memo, 1, smsg, sizeof smsg) < 0)
		main_say(smsg);
	keep_free(k);
	view_memo_free(memo);
	view_free(v);
	ingest_free(in);
	config_free(&cfg);
	return status;
}
