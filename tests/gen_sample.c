/*
 * gen_sample — deterministic sample-data generator for cxtop.
 *
 *   gen_sample [--events N] [--customers N] [--campaigns N] [--seed S] OUTDIR
 *
 * Writes events.csv, responses.csv, customers.csv, campaigns.csv and
 * awareness.csv into OUTDIR (created if missing).  The output depends only on
 * the arguments: its own PRNG (splitmix64) with a fixed default seed, no
 * rand(), no clock, no libm transcendental functions.  "Now" is fixed at
 * 2026-11-20T18:00:00Z and is the latest timestamp in the data (a
 * survey_sent event).
 *
 * Besides realistic noise, five seed scenarios are always present with
 * exact figures, whatever the size arguments (see sample_data/README.md):
 *   1. sms-flash-1 / sms-flash-2: the CTR denominator trap;
 *   2. nps-mild / nps-harsh: same NPS (+20), different detractors;
 *   3. exactly N/4 customers opted out (opted_in=no OR any unsubscribe);
 *   4. awareness reach rising while churn rises;
 *   5. survey response rate falling (30 % four months ago -> 15 % now);
 *   6. what the score predicts: after answering, hard detractors churn
 *      30 %, soft detractors 6 % like passives (6 %), promoters 2 %.
 *
 * Memory: 16 bytes per event and per response, 12 per customer; events and
 * responses are sorted in memory and written through one big buffer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define DAY 86400u
#define HOUR 3600u
#define NONE16 0xFFFFu

/* ---------------------------------------------------------------- PRNG -- */

#include "splitmix.h"

/* uniform in [0, 1) */
static double ru(void)
{
	return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

static int rc(double p)
{
	return ru() < p;
}

static void shuffle_u32(uint32_t *a, uint32_t n, uint32_t first_k)
{
	/* partial Fisher-Yates: a[0..first_k) becomes a uniform sample */
	if (first_k > n)
		first_k = n;
	for (uint32_t i = 0; i < first_k; i++) {
		uint32_t j = i + rb(n - i);
		uint32_t t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

/* ---------------------------------------------------------------- dates -- */

static int32_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153u * (unsigned)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (unsigned)d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t yy = (int32_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned dd = doy - (153 * mp + 2) / 5 + 1;
	unsigned mm = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (mm <= 2));
	*m = (int)mm;
	*d = (int)dd;
}

/* ------------------------------------------------------------- globals -- */

enum { EV_SENT, EV_DELIVERED, EV_OPEN, EV_CLICK, EV_UNSUB, EV_BOUNCE,
       EV_COMPLAINT, EV_CONVERSION, EV_SURVEY };
static const char *const ev_word[] = { "sent", "delivered", "open", "click",
	"unsubscribe", "bounce", "complaint", "conversion", "survey_sent" };

typedef struct {
	uint32_t t, cust, val;	/* unix seconds, customer index, cents */
	uint16_t camp;		/* campaign index or NONE16 */
	uint8_t type, machine;	/* machine: 0 n/a, 1 human open, 2 machine open */
} Ev;

enum { SV_NPS, SV_CSAT, SV_CES };
static const char *const sv_word[] = { "nps", "csat", "ces" };

typedef struct {
	uint32_t t, cust;
	uint16_t camp, cmt;	/* cmt: 0 none, else 1 + index into comments */
	uint8_t survey, score, seg, pad;	/* seg: 0 empty, else 1 + segment */
} Resp;

enum { F_SET = 1, F_TYPEA = 2, F_TYPEB = 4, F_SMSUNSUB = 8, F_PROT = 16,
       F_UNSUBBED = 32 };

typedef struct {
	int32_t signup, churn;	/* day numbers; churn -1 = active */
	uint8_t seg, plan, flags, pad;
} Cust;

enum { CH_EMAIL, CH_SMS, CH_PUSH, CH_SOCIAL };
static const char *const ch_word[] = { "email", "sms", "push", "social" };
enum { K_NOISE, K_SMS1, K_SMS2, K_NPS_MILD, K_NPS_HARSH };

typedef struct {
	char id[24];
	char name[96];
	int ch, kind, order;
	int32_t start;
	uint32_t spend;		/* cents */
	int newsletter, machine_heavy, complaint_heavy;
	double w, f, elig;
} Camp;

static const char *const seg_word[] = { "smb", "mid-market", "enterprise" };
static const uint32_t plan_cents[3][4] = {
	{ 1900, 2900, 4900, 7900 },
	{ 14900, 24900, 39900, 39900 },
	{ 99900, 149900, 249900, 249900 },
};

static uint32_t g_now;		/* 2026-11-20T18:00:00Z */
static int32_t g_now_day;
static uint32_t g_n;		/* customers */
static Cust *g_cust;
static Camp *g_camp;
static int g_ncamp;
static Ev *g_ev;
static size_t g_nev, g_capev;
static Resp *g_resp;
static size_t g_nresp, g_capresp;
static uint32_t *g_tmp;		/* scratch, g_n entries */
static uint32_t *g_tmp2;	/* scratch, g_n entries */

static uint32_t g_sms[1000];	/* first 100: the sms unsubscribers */
static uint32_t g_mild[200], g_harsh[200];

static void die(const char *msg)
{
	fprintf(stderr, "gen_sample: %s\n", msg);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die("out of memory");
	return q;
}

static void ev_push(uint32_t t, uint32_t cust, int camp, int type, int machine,
		    uint32_t val)
{
	if (g_nev == g_capev) {
		g_capev = g_capev ? g_capev * 2 : 1u << 16;
		g_ev = xrealloc(g_ev, g_capev * sizeof *g_ev);
	}
	Ev *e = &g_ev[g_nev++];
	e->t = t;
	e->cust = cust;
	e->val = val;
	e->camp = camp < 0 ? NONE16 : (uint16_t)camp;
	e->type = (uint8_t)type;
	e->machine = (uint8_t)machine;
}

/* events at or after "now" never happen (the campaign is still running) */
static void ev_add(uint32_t t, uint32_t cust, int camp, int type, int machine,
		   uint32_t val)
{
	if (t < g_now)
		ev_push(t, cust, camp, type, machine, val);
}

/* ------------------------------------------------------------ comments -- */

/* groups: 0 promoter, 1 passive, 2 soft detractor, 3 hard detractor,
 * 4 csat good, 5 csat bad, 6 ces easy, 7 ces hard */
static const char *const comments[] = {
	/* 0 */ "Love it", "Great support team, thanks!", "Fast delivery, great quality",
	"Easy to use; would recommend to friends", "Best purchase this year",
	"Très bien, merci !", "The \"one-click\" reorder is brilliant", NULL,
	/* 1 */ "It's fine", "OK, but prices went up", "Good product, shipping was slow",
	"Does the job", "Nothing special, nothing bad", "Decent value for money", NULL,
	/* 2 */ "Too many emails", "Support took 3 days to answer",
	"Decent, but the \"premium\" tier isn't worth it",
	"Website is slow, checkout failed once", "Liked it more last year", NULL,
	/* 3 */ "Cancelled. Way too many emails, texts and pushes",
	"Charged twice, no refund yet", "Worst experience ever.\nWill not come back.",
	"They said \"we'll call you back\" - nobody did",
	"Unsubscribed, still getting messages", "Product broke after a week", NULL,
	/* 4 */ "Quick and friendly", "Solved on the first call", "Great, thanks", NULL,
	/* 5 */ "Had to repeat my issue, three times", "Agent was rude",
	"Still not fixed.\nTicket #4411 closed without an answer.", NULL,
	/* 6 */ "Easy, 2 clicks", "Password reset was painless", "Simple", NULL,
	/* 7 */ "Took forever to reach someone", "Form kept losing my data, twice",
	"Had to call, chat and email \"support\"", NULL,
	NULL
};
static uint16_t g_cgroup_start[8], g_cgroup_len[8];

static void comments_index(void)
{
	unsigned g = 0, i = 0;
	while (g < 8) {
		g_cgroup_start[g] = (uint16_t)i;
		while (comments[i])
			i++;
		g_cgroup_len[g] = (uint16_t)(i - g_cgroup_start[g]);
		i++;
		g++;
	}
}

static uint16_t pick_comment(int group, double p)
{
	if (!rc(p))
		return 0;
	return (uint16_t)(1 + g_cgroup_start[group] + rb(g_cgroup_len[group]));
}

static int nps_group(int score)
{
	return score >= 9 ? 0 : score >= 7 ? 1 : score >= 5 ? 2 : 3;
}

static void resp_add(uint32_t t, uint32_t cust, int camp, int survey, int score,
		     uint16_t cmt)
{
	if (t >= g_now)
		return;
	if (g_nresp == g_capresp) {
		g_capresp = g_capresp ? g_capresp * 2 : 1u << 14;
		g_resp = xrealloc(g_resp, g_capresp * sizeof *g_resp);
	}
	Resp *r = &g_resp[g_nresp++];
	r->t = t;
	r->cust = cust;
	r->camp = camp < 0 ? NONE16 : (uint16_t)camp;
	r->cmt = cmt;
	r->survey = (uint8_t)survey;
	r->score = (uint8_t)score;
	r->seg = rc(0.35) ? (uint8_t)(1 + g_cust[cust].seg) : 0;
	r->pad = 0;
}

/* ------------------------------------------------------------ customers -- */

static int active_on(const Cust *c, int32_t day)
{
	return c->signup < day && (c->churn < 0 || c->churn > day);
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* churn hazard per calendar month (share of the customers active on the
 * 1st who churn in that month; November 2026 only runs to the 20th) */
static double hazard(int y, int m)
{
	static const double h[] = { 0.021, 0.022, 0.024, 0.026, 0.028, 0.032, 0.038 };
	if (y < 2026 || m < 5)
		return 0.020;
	return h[m - 5];
}

/* The days on which the 30-day window and the previous one start
 * (2026-10-21 and 2026-09-21, at 18:00): no signup or churn date falls on
 * them, so a date-based and a timestamp-based window count the same. */
static int edge_day(int32_t d)
{
	return d == g_now_day - 30 || d == g_now_day - 60;
}

/* Scenario 6, what the score predicts: of the customers whose latest NPS
 * answer lies in the last 30 days, churn after answering is made to come
 * to exactly these shares per band: hard detractors (0-4) 30 %, soft
 * detractors (5-6) 6 %, passives 6 %, promoters 2 % — soft detractors
 * stay like passives, hard ones leave. The churn day is from the answer's
 * day to now. */
static void gen_outcomes(void)
{
	static const double share[4] = {0.30, 0.06, 0.06, 0.02};
	/* its own stream: the files written after it keep their bytes */
	uint64_t saved = g_rng;
	g_rng ^= 0x6f7574636f6d6573ull;
	uint32_t *latest = xrealloc(NULL, g_n * sizeof *latest);
	for (uint32_t i = 0; i < g_n; i++)
		latest[i] = UINT32_MAX;
	int32_t lo = g_now_day - 29;
	for (size_t i = 0; i < g_nresp; i++) {
		const Resp *r = &g_resp[i];
		if (r->survey != SV_NPS || (int32_t)(r->t / DAY) < lo)
			continue;
		if (latest[r->cust] == UINT32_MAX || g_resp[latest[r->cust]].t <= r->t)
			latest[r->cust] = (uint32_t)i;
	}
	for (int b = 0; b < 4; b++) {
		uint32_t n = 0, gone = 0, cand = 0;
		for (uint32_t c = 0; c < g_n; c++) {
			if (latest[c] == UINT32_MAX)
				continue;
			int s = g_resp[latest[c]].score;
			int band = s <= 4 ? 0 : s <= 6 ? 1 : s <= 8 ? 2 : 3;
			if (band != b)
				continue;
			n++;
			int32_t day = (int32_t)(g_resp[latest[c]].t / DAY);
			if (g_cust[c].churn >= day)
				gone++;
			else if (g_cust[c].churn < 0)
				g_tmp[cand++] = c;
		}
		uint32_t want = (uint32_t)(share[b] * n + 0.5);
		uint32_t k = want > gone ? want - gone : 0;
		if (k > cand)
			k = cand;
		shuffle_u32(g_tmp, cand, k);
		for (uint32_t i = 0; i < k; i++) {
			uint32_t c = g_tmp[i];
			int32_t day = (int32_t)(g_resp[latest[c]].t / DAY);
			g_cust[c].churn = day + (int32_t)rb((uint32_t)(g_now_day - day + 1));
		}
	}
	free(latest);
	g_rng = saved;
}

static void gen_customers(void)
{
	int32_t first = days_from_civil(2025, 5, 1);
	int32_t last = days_from_civil(2026, 11, 18);
	uint32_t span = (uint32_t)(last - first + 1);
	int32_t *days = xrealloc(NULL, g_n * sizeof *days);
	for (uint32_t i = 0; i < g_n; i++) {
		uint32_t a = rb(span), b = rb(span);	/* max: growing signups */
		days[i] = first + (int32_t)(a > b ? a : b);
	}
	for (uint32_t i = 0; i < g_n; i++)
		if (edge_day(days[i]))
			days[i]++;
	qsort(days, g_n, sizeof *days, cmp_i32);
	g_cust = xrealloc(NULL, g_n * sizeof *g_cust);
	for (uint32_t i = 0; i < g_n; i++) {
		Cust *c = &g_cust[i];
		uint32_t s = rb(100);
		c->signup = days[i];
		c->churn = -1;
		c->seg = (uint8_t)(s < 60 ? 0 : s < 90 ? 1 : 2);
		c->plan = (uint8_t)rb(4);
		c->flags = 0;
		c->pad = 0;
	}
	free(days);

	/* protected scenario customers: long-standing, never churn */
	int32_t cutoff = days_from_civil(2026, 10, 1);
	uint32_t nc = 0;
	for (uint32_t i = 0; i < g_n; i++)
		if (g_cust[i].signup <= cutoff)
			g_tmp[nc++] = i;
	if (nc < 1400)
		die("too few customers for the seed scenarios");
	shuffle_u32(g_tmp, nc, 1400);
	for (uint32_t i = 0; i < 1400; i++) {
		uint32_t ci = g_tmp[i];
		g_cust[ci].flags |= F_PROT;
		if (i < 1000)
			g_sms[i] = ci;
		else if (i < 1200)
			g_mild[i - 1000] = ci;
		else
			g_harsh[i - 1200] = ci;
		if (i < 100)
			g_cust[ci].flags |= F_SET | F_SMSUNSUB;
	}

	/* churn, month by month: round(h * active on the 1st) of the active
	 * customers churn, their dates spread evenly over the month (so that
	 * 30-day windows rise as smoothly as calendar months) */
	for (int y = 2025, m = 6; y < 2026 || m <= 11; m = m == 12 ? 1 : m + 1, y += m == 1) {
		int32_t mstart = days_from_civil(y, m, 1);
		int32_t mdays = (m == 11 && y == 2026) ? 20
			       : days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - mstart;
		uint32_t active = 0, cand = 0;
		for (uint32_t i = 0; i < g_n; i++) {
			Cust *c = &g_cust[i];
			if (c->signup < mstart && (c->churn < 0 || c->churn >= mstart)) {
				active++;
				if (!(c->flags & F_PROT) && c->churn < 0)
					g_tmp[cand++] = i;
			}
		}
		uint32_t k = (uint32_t)(hazard(y, m) * active + 0.5);
		if (k > cand)
			k = cand;
		shuffle_u32(g_tmp, cand, k);
		for (uint32_t i = 0; i < k; i++) {	/* evenly over the month */
			int32_t cd = mstart + (int32_t)((uint64_t)i * (uint32_t)mdays / k);
			g_cust[g_tmp[i]].churn = edge_day(cd) ? cd + 1 : cd;
		}
	}

	/* the opted-out set: exactly n/4 customers, 100 of them the sms
	 * unsubscribers; the rest opted out without an event (type A) or will
	 * unsubscribe from some campaign (type B) */
	uint32_t k = g_n / 4 - 100;
	nc = 0;
	for (uint32_t i = 0; i < g_n; i++)
		if (!(g_cust[i].flags & F_PROT))
			g_tmp[nc++] = i;
	shuffle_u32(g_tmp, nc, k);
	for (uint32_t i = 0; i < k; i++)
		g_cust[g_tmp[i]].flags |= F_SET | (rc(0.5) ? F_TYPEA : F_TYPEB);
}

/* ------------------------------------------------------------ campaigns -- */

static const char *const month_names[13][4] = {
	[5] = { "Spring Sale", "Memorial Day Savings", "New Season, New Colours", NULL },
	[6] = { "Summer Kickoff", "Father's Day Gift Guide", "Product Update, June", NULL },
	[7] = { "Summer Clearance", "Mid-Year Sale", "July Member Perks", NULL },
	[8] = { "Back to School", "End of Summer, Final Markdowns", "August Digest", NULL },
	[9] = { "Fall Favorites", "Product Update, September", "Customer Stories", NULL },
	[10] = { "Halloween Treats", "The \"Big Deal\" Weekend", "October Newsletter", NULL },
	[11] = { "Black Friday Preview", "Early Access, VIP Members", "Holiday Gift Guide", NULL },
};
static const char *const email_generic[] = { "Weekly Newsletter", "Welcome Series",
	"Loyalty Points Reminder", "Feature Spotlight", "Abandoned Cart Nudge",
	"Referral Program", "Webinar Invite: Onboarding 101", "Community Digest", NULL };
static const char *const push_names[] = { "App Update Available", "Daily Deal",
	"Cart Reminder", "Back in Stock", "Weekend Flash", "Limited Drop",
	"Price Drop Alert", NULL };
static const char *const social_names[] = { "Brand Video", "Influencer Collab",
	"Retargeting - Site Visitors", "Lookalike Prospecting", "Carousel, New Arrivals",
	"UGC Contest", NULL };

static void name_from_list(char *out, size_t n, const char *const *list,
			   unsigned *counter)
{
	unsigned len = 0;
	while (list[len])
		len++;
	unsigned k = (*counter)++;
	if (k < len)
		snprintf(out, n, "%s", list[k]);
	else
		snprintf(out, n, "%s #%u", list[k % len], k / len + 1);
}

static int cmp_camp(const void *a, const void *b)
{
	const Camp *x = a, *y = b;
	if (x->start != y->start)
		return (x->start > y->start) - (x->start < y->start);
	return (x->order > y->order) - (x->order < y->order);
}

static double k_events(int ch)
{
	return ch == CH_EMAIL ? 2.48 : ch == CH_PUSH ? 2.05 : 0.11;
}

static void gen_campaigns(int ncamp, double budget)
{
	int nn = ncamp - 4;
	int32_t d0 = days_from_civil(2026, 5, 25);
	int32_t d1 = days_from_civil(2026, 11, 15);
	g_ncamp = ncamp;
	g_camp = xrealloc(NULL, (size_t)ncamp * sizeof *g_camp);
	memset(g_camp, 0, (size_t)ncamp * sizeof *g_camp);
	static const int pattern[5] = { CH_EMAIL, CH_EMAIL, CH_PUSH, CH_EMAIL, CH_SOCIAL };
	int emails = 0;
	int best_c = -1, best_m = -1;
	int32_t dc = days_from_civil(2026, 8, 5), dm = days_from_civil(2026, 9, 8);
	for (int i = 0; i < nn; i++) {
		Camp *c = &g_camp[i];
		c->kind = K_NOISE;
		c->order = i;
		c->ch = pattern[i % 5];
		c->start = d0 + (int32_t)((int64_t)i * (d1 - d0 - 2) / nn) + (int32_t)rb(3);
		c->w = 0.6 + 0.8 * ru();
		if (c->ch == CH_EMAIL) {
			c->newsletter = emails % 4 == 0;
			if (c->newsletter)
				c->w = 3.0;
			emails++;
			int32_t dist_c = abs(c->start - dc), dist_m = abs(c->start - dm);
			if (best_c < 0 || dist_c < abs(g_camp[best_c].start - dc))
				best_c = i;
			if (best_m < 0 || dist_m < abs(g_camp[best_m].start - dm))
				best_m = i;
		}
		c->spend = c->ch == CH_EMAIL ? (30 + rb(120)) * 1000
			 : c->ch == CH_PUSH ? (10 + rb(50)) * 1000
			 : (200 + rb(1000)) * 1000;
		if (c->ch == CH_SOCIAL)
			c->spend += 50 * rb(2);
	}
	if (best_c < 0 || best_m < 0 || best_c == best_m)
		die("too few campaigns (need --campaigns >= 10)");
	g_camp[best_c].complaint_heavy = 1;
	g_camp[best_c].newsletter = 1;
	g_camp[best_c].w = 3.0;
	g_camp[best_m].machine_heavy = 1;

	struct { const char *id, *name; int kind, ch, y, m, d; uint32_t spend; } sc[4] = {
		{ "sms-flash-1", "SMS Flash Sale", K_SMS1, CH_SMS, 2026, 10, 25, 180000 },
		{ "sms-flash-2", "SMS Flash Sale II", K_SMS2, CH_SMS, 2026, 11, 1, 165000 },
		{ "nps-mild", "Loyalty Survey \xE2\x80\x94 Mild", K_NPS_MILD, CH_EMAIL, 2026, 10, 28, 25000 },
		{ "nps-harsh", "Loyalty Survey \xE2\x80\x94 Harsh", K_NPS_HARSH, CH_EMAIL, 2026, 11, 4, 25000 },
	};
	for (int i = 0; i < 4; i++) {
		Camp *c = &g_camp[nn + i];
		snprintf(c->id, sizeof c->id, "%s", sc[i].id);
		snprintf(c->name, sizeof c->name, "%s", sc[i].name);
		c->kind = sc[i].kind;
		c->ch = sc[i].ch;
		c->start = days_from_civil(sc[i].y, sc[i].m, sc[i].d);
		c->spend = sc[i].spend;
		c->order = nn + i;
	}
	qsort(g_camp, (size_t)ncamp, sizeof *g_camp, cmp_camp);

	/* ids and names in chronological order */
	unsigned n_em = 0, n_pu = 0, n_so = 0, gen_e = 0, gen_p = 0, gen_s = 0;
	unsigned per_month[13] = { 0 };
	for (int i = 0; i < ncamp; i++) {
		Camp *c = &g_camp[i];
		if (c->kind != K_NOISE)
			continue;
		if (c->ch == CH_EMAIL) {
			snprintf(c->id, sizeof c->id, "em-%03u", ++n_em);
			int y, m, d;
			civil_from_days(c->start, &y, &m, &d);
			if (c->complaint_heavy)
				snprintf(c->name, sizeof c->name, "Reactivation Blast, Lapsed List");
			else if (c->machine_heavy)
				snprintf(c->name, sizeof c->name, "Autumn Lookbook");
			else if (m >= 5 && m <= 11 && month_names[m][per_month[m]])
				snprintf(c->name, sizeof c->name, "%s", month_names[m][per_month[m]++]);
			else
				name_from_list(c->name, sizeof c->name, email_generic, &gen_e);
		} else if (c->ch == CH_PUSH) {
			snprintf(c->id, sizeof c->id, "pu-%03u", ++n_pu);
			name_from_list(c->name, sizeof c->name, push_names, &gen_p);
		} else {
			snprintf(c->id, sizeof c->id, "so-%03u", ++n_so);
			name_from_list(c->name, sizeof c->name, social_names, &gen_s);
		}
	}

	/* audience size: solve x so that sum(elig * min(.95, x*w) * k) = budget */
	for (int i = 0; i < ncamp; i++) {
		Camp *c = &g_camp[i];
		if (c->kind != K_NOISE)
			continue;
		double e = 0;	/* type B: many will have unsubscribed by then */
		for (uint32_t j = 0; j < g_n; j++) {
			const Cust *cu = &g_cust[j];
			if (cu->signup < c->start && (cu->churn < 0 || cu->churn > c->start + 3) &&
			    (c->ch == CH_SOCIAL || !(cu->flags & F_TYPEA)))
				e += c->ch != CH_SOCIAL && (cu->flags & F_TYPEB) ? 0.4 : 1.0;
		}
		c->elig = e;
	}
	double lo = 0, hi = 1000;
	for (int it = 0; it < 60; it++) {
		double x = (lo + hi) / 2, tot = 0;
		for (int i = 0; i < ncamp; i++) {
			const Camp *c = &g_camp[i];
			if (c->kind != K_NOISE)
				continue;
			double f = x * c->w;
			tot += c->elig * (f > 0.95 ? 0.95 : f) * k_events(c->ch);
		}
		if (tot < budget)
			lo = x;
		else
			hi = x;
	}
	for (int i = 0; i < ncamp; i++) {
		Camp *c = &g_camp[i];
		double f = lo * c->w;
		c->f = f > 0.95 ? 0.95 : f < 0.002 ? 0.002 : f;
	}
}

/* ------------------------------------------------------------ events -- */

static const uint32_t prices[] = { 1990, 2490, 2990, 3990, 4990, 5900, 7900,
	9900, 12900, 14950, 19900, 24900 };

static uint32_t order_value(void)
{
	uint32_t v = prices[rb(sizeof prices / sizeof prices[0])];
	return rc(0.2) ? v * 2 : v;
}

/* a conversion: the amount is drawn after the caller's arguments, so the
 * PRNG call order never depends on argument evaluation order */
static void ev_conv(uint32_t t, uint32_t cust, int camp)
{
	uint32_t v = order_value();
	ev_add(t, cust, camp, EV_CONVERSION, 0, v);
}

static uint32_t open_delay(void)
{
	return rc(0.5) ? 30 + rb(HOUR) : 60 + rb(2 * DAY);
}

static void gen_email(int ci)
{
	Camp *c = &g_camp[ci];
	double p_mpp = c->machine_heavy ? 0.40 : 0.06;
	double p_open = c->machine_heavy ? 0.20 : 0.24 + 0.10 * ru();
	double p_click = 0.08 + 0.10 * ru();
	double p_bounce = 0.005 + 0.02 * ru();
	uint32_t base = (uint32_t)c->start * DAY + 9 * HOUR;
	uint32_t ndel = 0;
	for (uint32_t i = 0; i < g_n; i++) {
		Cust *cu = &g_cust[i];
		if (!(cu->signup < c->start && (cu->churn < 0 || cu->churn > c->start + 3)) ||
		    (cu->flags & (F_TYPEA | F_UNSUBBED)) || !rc(c->f))
			continue;
		uint32_t t = base + rb(3 * HOUR);
		ev_add(t, i, ci, EV_SENT, 0, 0);
		if (rc(p_bounce)) {
			ev_add(t + 5 + rb(60), i, ci, EV_BOUNCE, 0, 0);
			continue;
		}
		uint32_t td = t + 2 + rb(120);
		ev_add(td, i, ci, EV_DELIVERED, 0, 0);
		g_tmp[ndel] = i;
		g_tmp2[ndel++] = td;
		if (rc(p_mpp)) {
			ev_add(td + 5 + rb(900), i, ci, EV_OPEN, 2, 0);
			if (rc(0.5))
				ev_add(td + 3600 + rb(DAY), i, ci, EV_OPEN, 2, 0);
		}
		uint32_t tl = td;
		if (rc(p_open)) {
			uint32_t to = td + open_delay();
			ev_add(to, i, ci, EV_OPEN, 1, 0);
			if (rc(0.15))
				ev_add(to + 600 + rb(DAY), i, ci, EV_OPEN, 1, 0);
			tl = to;
			if (rc(p_click)) {
				uint32_t tc = to + 3 + rb(900);
				ev_add(tc, i, ci, EV_CLICK, 0, 0);
				if (rc(0.3))
					ev_add(tc + 10 + rb(600), i, ci, EV_CLICK, 0, 0);
				if (rc(0.2))
					ev_conv(tc + 60 + rb(2 * HOUR), i, ci);
			}
		}
		if ((cu->flags & F_TYPEB) && rc(0.10)) {
			ev_add(tl + 30 + rb(HOUR), i, ci, EV_UNSUB, 0, 0);
			cu->flags |= F_UNSUBBED;
		}
	}
	/* complaints: <= 1 per 1,100 delivered (< 0.1 %), except the
	 * complaint-heavy campaign (0.6 %, at least 3) */
	uint32_t k = c->complaint_heavy ? (ndel * 6 / 1000 > 3 ? ndel * 6 / 1000 : 3)
				       : rb(ndel / 1100 + 1);
	if (k > ndel)
		k = ndel;
	for (uint32_t j = 0; j < k; j++) {
		uint32_t r = j + rb(ndel - j);
		uint32_t a = g_tmp[r], b = g_tmp2[r];
		g_tmp[r] = g_tmp[j];
		g_tmp2[r] = g_tmp2[j];
		g_tmp[j] = a;
		g_tmp2[j] = b;
		ev_add(b + 600 + rb(DAY), a, ci, EV_COMPLAINT, 0, 0);
	}
}

static void gen_push(int ci)
{
	Camp *c = &g_camp[ci];
	uint32_t base = (uint32_t)c->start * DAY + 16 * HOUR;
	for (uint32_t i = 0; i < g_n; i++) {
		Cust *cu = &g_cust[i];
		if (!(cu->signup < c->start && (cu->churn < 0 || cu->churn > c->start + 3)) ||
		    (cu->flags & (F_TYPEA | F_UNSUBBED)) || !rc(c->f))
			continue;
		uint32_t t = base + rb(HOUR);
		ev_add(t, i, ci, EV_SENT, 0, 0);
		if (!rc(0.93))
			continue;
		uint32_t td = t + 1 + rb(30);
		ev_add(td, i, ci, EV_DELIVERED, 0, 0);
		if (rc(0.08)) {
			uint32_t to = td + 10 + rb(4 * HOUR);
			ev_add(to, i, ci, EV_OPEN, 1, 0);
			if (rc(0.45)) {
				uint32_t tc = to + 2 + rb(120);
				ev_add(tc, i, ci, EV_CLICK, 0, 0);
				if (rc(0.15))
					ev_conv(tc + 60 + rb(HOUR), i, ci);
			}
		}
		if ((cu->flags & F_TYPEB) && rc(0.04)) {
			ev_add(td + 60 + rb(6 * HOUR), i, ci, EV_UNSUB, 0, 0);
			cu->flags |= F_UNSUBBED;
		}
	}
}

static void gen_social(int ci)
{
	Camp *c = &g_camp[ci];
	double p = c->f * 0.1;
	uint32_t base = (uint32_t)c->start * DAY;
	for (uint32_t i = 0; i < g_n; i++) {
		const Cust *cu = &g_cust[i];
		if (!(cu->signup < c->start && (cu->churn < 0 || cu->churn > c->start + 14)) ||
		    !rc(p))
			continue;
		uint32_t t = base + 7 * HOUR + rb(14 * DAY);
		ev_add(t, i, ci, EV_CLICK, 0, 0);
		if (rc(0.1))
			ev_conv(t + 60 + rb(3 * HOUR), i, ci);
	}
}

/* Scenario 1: the denominator trap */
static void gen_sms(int ci)
{
	const Camp *c = &g_camp[ci];
	uint32_t base = (uint32_t)c->start * DAY + 12 * HOUR;
	uint32_t first = c->kind == K_SMS1 ? 0 : 100;	/* 2nd: the 900 left */
	uint32_t n = 1000 - first;
	uint32_t *td = g_tmp2;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t cu = g_sms[first + i];
		uint32_t t = base + rb(1800);
		ev_add(t, cu, ci, EV_SENT, 0, 0);
		td[i] = t + 1 + rb(20);
		ev_add(td[i], cu, ci, EV_DELIVERED, 0, 0);
	}
	/* 100 distinct clickers among the customers who did not opt out */
	uint32_t skip = c->kind == K_SMS1 ? 100 : 0;
	uint32_t m = n - skip;
	for (uint32_t i = 0; i < m; i++)
		g_tmp[i] = skip + i;
	shuffle_u32(g_tmp, m, 100);
	for (uint32_t j = 0; j < 100; j++) {
		uint32_t i = g_tmp[j];
		uint32_t tc = td[i] + 30 + rb(6 * HOUR);
		ev_add(tc, g_sms[first + i], ci, EV_CLICK, 0, 0);
		if (rc(0.25))
			ev_add(tc + 5 + rb(300), g_sms[first + i], ci, EV_CLICK, 0, 0);
		if (j < (c->kind == K_SMS1 ? 30u : 35u))
			ev_conv(tc + 60 + rb(HOUR), g_sms[first + i], ci);
	}
	if (c->kind == K_SMS1)	/* the first 100 reply STOP */
		for (uint32_t i = 0; i < 100; i++)
			ev_add(td[i] + 20 + rb(12 * HOUR), g_sms[i], ci, EV_UNSUB, 0, 0);
}

/* Scenario 2: same NPS, different detractors */
static const uint32_t hist_mild[11] = { 0, 0, 0, 4, 6, 20, 30, 18, 22, 45, 55 };
static const uint32_t hist_harsh[11] = { 20, 15, 15, 4, 6, 0, 0, 18, 22, 45, 55 };

static void gen_nps_campaign(int ci)
{
	const Camp *c = &g_camp[ci];
	const uint32_t *resp = c->kind == K_NPS_MILD ? g_mild : g_harsh;
	const uint32_t *hist = c->kind == K_NPS_MILD ? hist_mild : hist_harsh;
	uint8_t scores[200];
	unsigned n = 0;
	for (int s = 0; s <= 10; s++)
		for (uint32_t k = 0; k < hist[s]; k++)
			scores[n++] = (uint8_t)s;
	for (unsigned i = 0; i < 200; i++) {	/* shuffle the scores */
		unsigned j = i + rb(200 - i);
		uint8_t t = scores[i];
		scores[i] = scores[j];
		scores[j] = t;
	}
	/* 800 more recipients: opted-in, active, not in another scenario */
	uint32_t nc = 0;
	for (uint32_t i = 0; i < g_n; i++) {
		const Cust *cu = &g_cust[i];
		if (cu->signup < c->start && (cu->churn < 0 || cu->churn > c->start + 7) &&
		    !(cu->flags & (F_PROT | F_SET)))
			g_tmp[nc++] = i;
	}
	uint32_t others = nc < 800 ? nc : 800;
	shuffle_u32(g_tmp, nc, others);
	uint32_t base = (uint32_t)c->start * DAY + 10 * HOUR;
	for (uint32_t i = 0; i < 200 + others; i++) {
		int responder = i < 200;
		uint32_t cu = responder ? resp[i] : g_tmp[i - 200];
		uint32_t t = base + rb(HOUR);
		ev_add(t, cu, ci, EV_SENT, 0, 0);
		uint32_t td = t + 2 + rb(60);
		ev_add(td, cu, ci, EV_DELIVERED, 0, 0);
		ev_add(td + 1, cu, ci, EV_SURVEY, 0, 0);
		if (rc(0.06))
			ev_add(td + 5 + rb(900), cu, ci, EV_OPEN, 2, 0);
		if (responder) {
			uint32_t to = td + 60 + rb(2 * DAY);
			ev_add(to, cu, ci, EV_OPEN, 1, 0);
			uint32_t tc = to + 5 + rb(300);
			ev_add(tc, cu, ci, EV_CLICK, 0, 0);
			int s = scores[i];
			uint32_t rt = tc + 60 + rb(1800);
			resp_add(rt, cu, ci, SV_NPS, s, pick_comment(nps_group(s), 0.4));
		} else if (rc(0.3)) {
			uint32_t to = td + open_delay();
			ev_add(to, cu, ci, EV_OPEN, 1, 0);
			if (rc(0.05))
				ev_add(to + 5 + rb(300), cu, ci, EV_CLICK, 0, 0);
		}
	}
}

/* ------------------------------------------------------------ surveys -- */

static uint32_t random_active(int32_t day)
{
	for (int tries = 0; tries < 10000; tries++) {
		uint32_t i = rb(g_n);
		if (active_on(&g_cust[i], day))
			return i;
	}
	for (uint32_t i = 0; i < g_n; i++)
		if (active_on(&g_cust[i], day))
			return i;
	return 0;
}

static int weighted(const uint8_t *w, int n)
{
	unsigned tot = 0;
	for (int i = 0; i < n; i++)
		tot += w[i];
	unsigned r = rb(tot);
	for (int i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

/* most recent noise email campaign started at least a day before `day` */
static int recent_email(int32_t day)
{
	int best = -1;
	for (int i = 0; i < g_ncamp; i++)
		if (g_camp[i].kind == K_NOISE && g_camp[i].ch == CH_EMAIL &&
		    g_camp[i].start < day)
			best = i;
	return best;
}

static const double rate_pct[6] = { 15, 21, 24, 27, 30, 31 };

static uint32_t invites_noise(int b)
{
	return b == 0 ? (uint32_t)(g_n * 28 / 100) : g_n / 2;
}

static void gen_surveys(uint32_t scen_invites0, uint32_t scen_resp0)
{
	static const uint8_t nps_old[11] = { 3, 2, 2, 3, 4, 5, 7, 12, 17, 21, 24 };
	static const uint8_t nps_new[11] = { 2, 1, 1, 2, 3, 4, 6, 11, 17, 25, 28 };
	static const uint8_t csat_old[5] = { 6, 9, 17, 35, 33 };
	static const uint8_t csat_new[5] = { 9, 12, 20, 33, 26 };
	static const uint8_t ces_old[7] = { 3, 5, 8, 14, 22, 26, 22 };
	static const uint8_t ces_new[7] = { 6, 9, 13, 18, 20, 19, 15 };
	for (int b = 5; b >= 0; b--) {
		uint32_t bstart = g_now - (uint32_t)(30 * (b + 1)) * DAY;
		uint32_t bend = g_now - (uint32_t)(30 * b) * DAY;
		uint32_t inv = invites_noise(b);
		uint32_t tot_inv = inv + (b == 0 ? scen_invites0 : 0);
		uint32_t tot_resp = (uint32_t)(tot_inv * rate_pct[b] / 100 + 0.5);
		uint32_t need = tot_resp - (b == 0 ? scen_resp0 : 0);
		uint32_t pool = b == 0 ? inv - 1 : inv;	/* last one: at "now" */
		/* stay clear of the 18:00 window edges and of the boundary days,
		 * so that date- and timestamp-based windows agree: 01:00 after
		 * the start .. 23:00 the day before the end (b = 0: 17:00 now) */
		uint32_t lo = bstart + 7 * HOUR;
		uint32_t hi = b == 0 ? g_now - HOUR : bend - 19 * HOUR;
		uint32_t rlim = b == 0 ? g_now - 120 : bend - 18 * HOUR - 60;
		for (uint32_t j = 0; j < pool; j++) {
			uint32_t t = lo + rb(hi - lo);
			uint32_t cu = random_active((int32_t)(t / DAY));
			ev_add(t, cu, -1, EV_SURVEY, 0, 0);
			if (rb(pool - j) < need) {	/* selection sampling */
				need--;
				uint32_t room = rlim - t - 60;
				uint32_t cap = room < 3 * DAY ? room : 3 * DAY;
				uint32_t rt = t + 60 + rb(cap);
				int old = (int)rb(5) < b;
				int s = weighted(old ? nps_old : nps_new, 11);
				int camp = rc(0.3) ? recent_email((int32_t)(rt / DAY) - 1) : -1;
				resp_add(rt, cu, camp, SV_NPS, s, pick_comment(nps_group(s), 0.35));
			}
		}
		if (b == 0)	/* the latest timestamp in the data */
			ev_push(g_now, random_active(g_now_day), -1, EV_SURVEY, 0, 0);
		/* csat / ces: post-support surveys, no invitation events */
		uint32_t nsat = g_n * 6 / 100;
		for (int sv = SV_CSAT; sv <= SV_CES; sv++)
			for (uint32_t j = 0; j < nsat; j++) {
				uint32_t t = lo + rb(hi - lo);
				uint32_t cu = random_active((int32_t)(t / DAY));
				int old = (int)rb(5) < b;
				int s;
				uint16_t cm;
				if (sv == SV_CSAT) {
					s = 1 + weighted(old ? csat_old : csat_new, 5);
					cm = pick_comment(s >= 4 ? 4 : 5, 0.25);
				} else {
					s = 1 + weighted(old ? ces_old : ces_new, 7);
					cm = pick_comment(s >= 5 ? 6 : 7, 0.2);
				}
				resp_add(t, cu, -1, sv, s, cm);
			}
	}
}

/* ------------------------------------------------------------ output -- */

typedef struct {
	FILE *f;
	char *buf;
	size_t len, cap;
	const char *path;
} Out;

static void out_open(Out *o, const char *dir, const char *name)
{
	static char paths[5][4200];
	static int np;
	char *p = paths[np++ % 5];
	snprintf(p, sizeof paths[0], "%s/%s", dir, name);
	o->path = p;
	o->f = fopen(p, "wb");
	if (!o->f) {
		fprintf(stderr, "gen_sample: %s: %s\n", p, strerror(errno));
		exit(1);
	}
	o->cap = 4u << 20;
	o->buf = xrealloc(NULL, o->cap);
	o->len = 0;
}

static void out_flush(Out *o)
{
	if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len) {
		fprintf(stderr, "gen_sample: %s: write failed\n", o->path);
		exit(1);
	}
	o->len = 0;
}

static void out_close(Out *o)
{
	out_flush(o);
	if (fclose(o->f) != 0) {
		fprintf(stderr, "gen_sample: %s: %s\n", o->path, strerror(errno));
		exit(1);
	}
	free(o->buf);
}

/* every row is < 4 KiB; call once per row */
static void out_row(Out *o)
{
	if (o->len + 4096 > o->cap)
		out_flush(o);
}

static void out_mem(Out *o, const char *s, size_t n)
{
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void out_str(Out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

static void out_ch(Out *o, char c)
{
	o->buf[o->len++] = c;
}

static void out_u(Out *o, uint64_t v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		o->buf[o->len++] = tmp[--n];
}

static void out_cents(Out *o, uint32_t c)
{
	out_u(o, c / 100);
	out_ch(o, '.');
	out_ch(o, (char)('0' + c / 10 % 10));
	out_ch(o, (char)('0' + c % 10));
}

static void out_2(Out *o, unsigned v)
{
	out_ch(o, (char)('0' + v / 10 % 10));
	out_ch(o, (char)('0' + v % 10));
}

static void out_date(Out *o, int32_t day)
{
	static int32_t cday = INT32_MIN;
	static char cstr[16];
	if (day != cday) {
		int y, m, d;
		civil_from_days(day, &y, &m, &d);
		snprintf(cstr, sizeof cstr, "%04d-%02d-%02d", y, m, d);
		cday = day;
	}
	out_mem(o, cstr, 10);
}

static void out_ts(Out *o, uint32_t t)
{
	uint32_t s = t % DAY;
	out_date(o, (int32_t)(t / DAY));
	out_ch(o, 'T');
	out_2(o, s / 3600);
	out_ch(o, ':');
	out_2(o, s / 60 % 60);
	out_ch(o, ':');
	out_2(o, s % 60);
	out_ch(o, 'Z');
}

static void out_cust(Out *o, uint32_t i)
{
	char tmp[16];
	int n = snprintf(tmp, sizeof tmp, "C%06u", i + 1);
	out_mem(o, tmp, (size_t)n);
}

/* RFC 4180: quote when needed, double embedded quotes */
static void out_field(Out *o, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		out_str(o, s);
		return;
	}
	out_ch(o, '"');
	for (; *s; s++) {
		if (*s == '"')
			out_ch(o, '"');
		out_ch(o, *s);
	}
	out_ch(o, '"');
}

static int cmp_ev(const void *a, const void *b)
{
	const Ev *x = a, *y = b;
	if (x->t != y->t)
		return (x->t > y->t) - (x->t < y->t);
	if (x->cust != y->cust)
		return (x->cust > y->cust) - (x->cust < y->cust);
	if (x->camp != y->camp)
		return (x->camp > y->camp) - (x->camp < y->camp);
	if (x->type != y->type)
		return (x->type > y->type) - (x->type < y->type);
	if (x->machine != y->machine)
		return (x->machine > y->machine) - (x->machine < y->machine);
	return (x->val > y->val) - (x->val < y->val);
}

static int cmp_resp(const void *a, const void *b)
{
	const Resp *x = a, *y = b;
	if (x->t != y->t)
		return (x->t > y->t) - (x->t < y->t);
	if (x->cust != y->cust)
		return (x->cust > y->cust) - (x->cust < y->cust);
	if (x->survey != y->survey)
		return (x->survey > y->survey) - (x->survey < y->survey);
	if (x->score != y->score)
		return (x->score > y->score) - (x->score < y->score);
	if (x->camp != y->camp)
		return (x->camp > y->camp) - (x->camp < y->camp);
	if (x->seg != y->seg)
		return (x->seg > y->seg) - (x->seg < y->seg);
	return (x->cmt > y->cmt) - (x->cmt < y->cmt);
}

static void write_events(const char *dir)
{
	Out o;
	qsort(g_ev, g_nev, sizeof *g_ev, cmp_ev);
	out_open(&o, dir, "events.csv");
	out_str(&o, "timestamp,customer_id,campaign_id,event,value,machine\n");
	for (size_t i = 0; i < g_nev; i++) {
		const Ev *e = &g_ev[i];
		out_row(&o);
		out_ts(&o, e->t);
		out_ch(&o, ',');
		out_cust(&o, e->cust);
		out_ch(&o, ',');
		if (e->camp != NONE16)
			out_str(&o, g_camp[e->camp].id);
		out_ch(&o, ',');
		out_str(&o, ev_word[e->type]);
		out_ch(&o, ',');
		if (e->type == EV_CONVERSION)
			out_cents(&o, e->val);
		out_ch(&o, ',');
		if (e->machine)
			out_ch(&o, e->machine == 2 ? '1' : '0');
		out_ch(&o, '\n');
	}
	out_close(&o);
}

static void write_responses(const char *dir)
{
	Out o;
	qsort(g_resp, g_nresp, sizeof *g_resp, cmp_resp);
	out_open(&o, dir, "responses.csv");
	out_str(&o, "timestamp,customer_id,survey,score,campaign_id,segment,comment\n");
	for (size_t i = 0; i < g_nresp; i++) {
		const Resp *r = &g_resp[i];
		out_row(&o);
		out_ts(&o, r->t);
		out_ch(&o, ',');
		out_cust(&o, r->cust);
		out_ch(&o, ',');
		out_str(&o, sv_word[r->survey]);
		out_ch(&o, ',');
		out_u(&o, r->score);
		out_ch(&o, ',');
		if (r->camp != NONE16)
			out_str(&o, g_camp[r->camp].id);
		out_ch(&o, ',');
		if (r->seg)
			out_str(&o, seg_word[r->seg - 1]);
		out_ch(&o, ',');
		if (r->cmt)
			out_field(&o, comments[r->cmt - 1]);
		out_ch(&o, '\n');
	}
	out_close(&o);
}

static void write_customers(const char *dir)
{
	Out o;
	out_open(&o, dir, "customers.csv");
	out_str(&o, "customer_id,signup_date,churn_date,segment,opted_in,monthly_revenue\n");
	for (uint32_t i = 0; i < g_n; i++) {
		const Cust *c = &g_cust[i];
		out_row(&o);
		out_cust(&o, i);
		out_ch(&o, ',');
		out_date(&o, c->signup);
		out_ch(&o, ',');
		if (c->churn >= 0)
			out_date(&o, c->churn);
		out_ch(&o, ',');
		out_str(&o, seg_word[c->seg]);
		out_ch(&o, ',');
		/* the sms unsubscribers are still "yes" in the CRM: only the
		 * union with the unsubscribe events finds them */
		out_str(&o, (c->flags & F_SET) && !(c->flags & F_SMSUNSUB) ? "no" : "yes");
		out_ch(&o, ',');
		out_cents(&o, plan_cents[c->seg][c->plan]);
		out_ch(&o, '\n');
	}
	out_close(&o);
}

static void write_campaigns(const char *dir)
{
	Out o;
	out_open(&o, dir, "campaigns.csv");
	out_str(&o, "campaign_id,name,channel,start_date,spend\n");
	for (int i = 0; i < g_ncamp; i++) {
		const Camp *c = &g_camp[i];
		out_row(&o);
		out_str(&o, c->id);
		out_ch(&o, ',');
		out_field(&o, c->name);
		out_ch(&o, ',');
		out_str(&o, ch_word[c->ch]);
		out_ch(&o, ',');
		out_date(&o, c->start);
		out_ch(&o, ',');
		out_cents(&o, c->spend);
		out_ch(&o, '\n');
	}
	out_close(&o);
}

/* Scenario 4 (vanity side): brand impressions and reach grow ~linearly
 * (x3 over the six months), brand-lift surveys on Mondays. */
static void write_awareness(const char *dir)
{
	Out o;
	int32_t d0 = days_from_civil(2026, 5, 24);
	out_open(&o, dir, "awareness.csv");
	out_str(&o, "date,campaign_id,impressions,reach,aware,asked\n");
	for (int32_t d = d0; d <= g_now_day; d++) {
		double g = 1.0 + 0.0115 * (d - d0);
		int wd = (int)((d + 4) % 7);	/* 0 = Sunday */
		double wk = wd == 0 || wd == 6 ? 0.85 : 1.05;
		uint32_t imp = (uint32_t)(40000.0 * g * wk * (0.95 + 0.1 * ru()));
		uint32_t reach = (uint32_t)(imp * (0.30 + 0.06 * ru()));
		out_row(&o);
		out_date(&o, d);
		out_ch(&o, ',');
		out_ch(&o, ',');
		out_u(&o, imp);
		out_ch(&o, ',');
		out_u(&o, reach);
		out_ch(&o, ',');
		if (wd == 1) {
			uint32_t asked = 300 + rb(200);
			double share = 0.18 + 0.0008 * (d - d0) + 0.02 * ru();
			out_u(&o, (uint32_t)(asked * share));
			out_ch(&o, ',');
			out_u(&o, asked);
		} else {
			out_ch(&o, ',');
		}
		out_ch(&o, '\n');
		for (int i = 0; i < g_ncamp; i++) {
			const Camp *c = &g_camp[i];
			if (c->ch != CH_SOCIAL || d < c->start || d >= c->start + 14)
				continue;
			uint32_t ci = (uint32_t)(c->spend / 100 * (0.8 + 0.4 * ru()));
			uint32_t cr = (uint32_t)(ci * (0.35 + 0.1 * ru()));
			out_row(&o);
			out_date(&o, d);
			out_ch(&o, ',');
			out_str(&o, c->id);
			out_ch(&o, ',');
			out_u(&o, ci);
			out_ch(&o, ',');
			out_u(&o, cr);
			out_ch(&o, ',');
			out_ch(&o, ',');
			out_ch(&o, '\n');
		}
	}
	out_close(&o);
}

/* ------------------------------------------------------------ main -- */

static void usage(void)
{
	fprintf(stderr,
		"usage: gen_sample [--events N] [--customers N] [--campaigns N] [--seed S] OUTDIR\n"
		"  defaults: --events 70000 --customers 5000 --campaigns 40 --seed 20261120\n");
	exit(2);
}

static uint64_t num_arg(const char *s, uint64_t lo, uint64_t hi)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < lo || v > hi) {
		fprintf(stderr, "gen_sample: bad number '%s' (allowed %llu..%llu)\n", s,
			(unsigned long long)lo, (unsigned long long)hi);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	uint64_t events = 70000, customers = 5000, campaigns = 40, seed = 20261120;
	const char *dir = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			usage();
		else if (!strcmp(a, "--events") && i + 1 < argc)
			events = num_arg(argv[++i], 0, 100000000);
		else if (!strcmp(a, "--customers") && i + 1 < argc)
			customers = num_arg(argv[++i], 3000, 10000000);
		else if (!strcmp(a, "--campaigns") && i + 1 < argc)
			campaigns = num_arg(argv[++i], 10, 60000);
		else if (!strcmp(a, "--seed") && i + 1 < argc)
			seed = num_arg(argv[++i], 0, UINT64_MAX);
		else if (a[0] == '-' || dir)
			usage();
		else
			dir = a;
	}
	if (!dir)
		usage();
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen_sample: %s: %s\n", dir, strerror(errno));
		return 1;
	}

	g_rng = seed ^ 0x63787430702d3031ull;	/* "cxt0p-01" */
	g_now_day = days_from_civil(2026, 11, 20);
	g_now = (uint32_t)g_now_day * DAY + 18 * HOUR;
	g_n = (uint32_t)customers;
	g_tmp = xrealloc(NULL, g_n * sizeof *g_tmp);
	g_tmp2 = xrealloc(NULL, g_n * sizeof *g_tmp2);
	comments_index();

	gen_customers();

	/* budget for the noise campaigns: the target minus the fixed parts */
	double fixed = 4200 + 2 * 3500;
	for (int b = 0; b < 6; b++)
		fixed += invites_noise(b);
	double budget = (double)events - fixed;
	if (budget < 1000)
		budget = 1000;
	g_capev = (size_t)(events + events / 4 + 65536);
	g_ev = xrealloc(NULL, g_capev * sizeof *g_ev);
	gen_campaigns((int)campaigns, budget);

	uint32_t scen_inv = 0, scen_resp = 0;
	for (int i = 0; i < g_ncamp; i++) {
		switch (g_camp[i].kind) {
		case K_SMS1:
		case K_SMS2:
			gen_sms(i);
			break;
		case K_NPS_MILD:
		case K_NPS_HARSH: {
			size_t before = g_nev;
			gen_nps_campaign(i);
			for (size_t j = before; j < g_nev; j++)
				scen_inv += g_ev[j].type == EV_SURVEY;
			scen_resp += 200;
			break;
		}
		default:
			if (g_camp[i].ch == CH_EMAIL)
				gen_email(i);
			else if (g_camp[i].ch == CH_PUSH)
				gen_push(i);
			else
				gen_social(i);
		}
	}
	gen_surveys(scen_inv, scen_resp);
	gen_outcomes();

	write_events(dir);
	write_responses(dir);
	write_customers(dir);
	write_campaigns(dir);
	write_awareness(dir);

	free(g_ev);
	free(g_resp);
	free(g_cust);
	free(g_camp);
	free(g_tmp);
	free(g_tmp2);
	return 0;
}
