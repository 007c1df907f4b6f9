/* alert: the metrics gap in plain words (SPEC section 3, alerts). It reads
 * a view whose numbers are all computed — campaigns, window and previous
 * window — and adds an alert wherever a vanity number improves while a
 * retention number behind it worsens, worded for the person who acts on
 * it; the thresholds are the config's. It never reads the store. */
#include "cxtop/alert.h"

#include "cxtop/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int alert_severity(int kind)
{
	static const int sev[] = {
#define VIEW_AL_SEV(id, name, s) s,
	    VIEW_ALERTS(VIEW_AL_SEV)
#undef VIEW_AL_SEV
	};
	return sev[kind];
}

static void alert_add(struct view *v, size_t *cap, int kind, int campaign, const char *subject,
		      const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void alert_add(struct view *v, size_t *cap, int kind, int campaign, const char *subject,
		      const char *fmt, ...)
{
	va_list ap;
	v->alerts = xgrow(v->alerts, cap, v->nalerts + 1, sizeof *v->alerts);
	struct view_alert *a = &v->alerts[v->nalerts++];
	a->kind = kind;
	a->severity = alert_severity(kind);
	a->campaign = campaign;
	util_strlcpy(a->subject, subject, sizeof a->subject);
	va_start(ap, fmt);
	vsnprintf(a->message, sizeof a->message, fmt, ap);
	va_end(ap);
}

/* A count with thousands separators ("1,205,811"), for messages. */
static void alert_count(char *b, size_t n, double x)
{
	if (isnan(x))
		util_strlcpy(b, "-", n);
	else
		util_fmt_count(b, n, x);
}

static int alert_def(double x)
{
	return !isnan(x);
}

static void alert_campaigns(struct view *v, const struct config *cfg, size_t *cap)
{
	for (size_t i = 0; i < v->ncampaigns; i++) {
		const struct view_campaign *c = &v->campaigns[i];
		if (!c->in_window)
			continue;
		if (alert_def(c->complaint_rate) && c->complaint_rate > cfg->complaint_rate_max)
			alert_add(v, cap, VIEW_AL_COMPLAINT_RATE_HIGH, (int)i, c->name,
				  "%s: complaint rate %.2f%% (%u of %u delivered) is above the "
				  "%.2f%% bulk-sender limit of the large mailbox providers",
				  c->name, 100 * c->complaint_rate, c->complaints, c->delivered,
				  100 * cfg->complaint_rate_max);
		if (c->unique_opens &&
		    (double)c->machine_opens / c->unique_opens > cfg->machine_open_share &&
		    !alert_def(c->open_rate))
			/* opens without a delivery to rate them against: no rate
			 * to correct (it said "not nan%") */
			alert_add(v, cap, VIEW_AL_OPENS_MACHINE_HEAVY, (int)i, c->name,
				  "%s: %u of %u unique opens (%.0f%%) were machine opens only; "
				  "no deliveries are recorded to give an open rate",
				  c->name, c->machine_opens, c->unique_opens,
				  100.0 * c->machine_opens / c->unique_opens);
		else if (c->unique_opens &&
		    (double)c->machine_opens / c->unique_opens > cfg->machine_open_share)
			alert_add(v, cap, VIEW_AL_OPENS_MACHINE_HEAVY, (int)i, c->name,
				  "%s: %u of %u unique opens (%.0f%%) were machine opens only; "
				  "human open rate is %.1f%%, not %.1f%%",
				  c->name, c->machine_opens, c->unique_opens,
				  100.0 * c->machine_opens / c->unique_opens,
				  100 * c->human_open_rate, 100 * c->open_rate);
		if (c->prev < 0)
			continue;
		const struct view_campaign *p = &v->campaigns[c->prev];
		if (alert_def(c->ctr) && alert_def(p->ctr) && alert_def(c->ctr_base) &&
		    alert_def(p->ctr_base) && c->ctr > p->ctr && c->ctr_base <= p->ctr_base)
			alert_add(v, cap, VIEW_AL_CTR_INFLATED, (int)i, c->name,
				  "%s: click rate rose %.1f%% -> %.1f%% (of delivered) but clicks "
				  "of the whole %s audience went %.1f%% -> %.1f%%: the audience "
				  "shrank to %.0f%% of the %u reached, the rate did not improve",
				  c->name, 100 * p->ctr, 100 * c->ctr, c->channel,
				  100 * p->ctr_base, 100 * c->ctr_base, 100 * c->audience_retained,
				  c->base);
		if (alert_def(c->open_rate) && alert_def(p->open_rate) &&
		    alert_def(c->optout_rate) && alert_def(p->optout_rate) &&
		    c->open_rate > p->open_rate && c->optout_rate > p->optout_rate)
			alert_add(v, cap, VIEW_AL_OPENS_UP_OPTOUTS_UP, (int)i, c->name,
				  "%s: open rate rose %.1f%% -> %.1f%% while opt-outs rose "
				  "%.2f%% -> %.2f%% of delivered (vs %s)",
				  c->name, 100 * p->open_rate, 100 * c->open_rate,
				  100 * p->optout_rate, 100 * c->optout_rate, p->name);
	}
}

static void alert_window(struct view *v, const struct config *cfg, size_t *cap)
{
	char subj[64];
	const struct view_nps *n = &v->nps, *np = &v->nps_prev;

	if (v->win.days)
		snprintf(subj, sizeof subj, "last %dd", v->win.days);
	else
		snprintf(subj, sizeof subj, "all data");
	if (n->n && !n->significant && n->n < (uint32_t)cfg->nps_min_n)
		alert_add(v, cap, VIEW_AL_NPS_LOW_N, -1, subj,
			  "NPS %+.1f is not significant: only %u responses (need %d), margin "
			  "+/-%.1f points",
			  n->nps, n->n, cfg->nps_min_n, n->nps_moe95);
	else if (n->n && !n->significant)
		alert_add(v, cap, VIEW_AL_NPS_LOW_N, -1, subj,
			  "NPS %+.1f is not significant: margin +/-%.1f points is wider than "
			  "%.0f (n = %u)",
			  n->nps, n->nps_moe95, cfg->nps_max_moe, n->n);
	if (v->has_prev) {
		const struct view_vanity *a = &v->vanity, *b = &v->vanity_prev;
		const struct view_cx *x = &v->cx, *y = &v->cx_prev;
		if (alert_def(a->open_rate) && alert_def(b->open_rate) &&
		    alert_def(x->optout_rate) && alert_def(y->optout_rate) &&
		    a->open_rate > b->open_rate && x->optout_rate > y->optout_rate)
			alert_add(v, cap, VIEW_AL_OPENS_UP_OPTOUTS_UP, -1, subj,
				  "open rate rose %.1f%% -> %.1f%% while opt-outs rose %.2f%% -> "
				  "%.2f%% of delivered",
				  100 * b->open_rate, 100 * a->open_rate, 100 * y->optout_rate,
				  100 * x->optout_rate);
		int imp_up = alert_def(a->impressions) && alert_def(b->impressions) &&
			     a->impressions > b->impressions;
		int reach_up = alert_def(a->reach) && alert_def(b->reach) && a->reach > b->reach;
		char before[32], after[32];
		alert_count(before, sizeof before, reach_up ? b->reach : b->impressions);
		alert_count(after, sizeof after, reach_up ? a->reach : a->impressions);
		if ((imp_up || reach_up) && alert_def(x->churn_rate_monthly) &&
		    alert_def(y->churn_rate_monthly) &&
		    x->churn_rate_monthly > y->churn_rate_monthly)
			alert_add(v, cap, VIEW_AL_REACH_UP_CHURN_UP, -1, subj,
				  "%s rose %s -> %s while monthly churn rose %.1f%% -> %.1f%%: "
				  "more people see the brand, more customers leave",
				  reach_up ? "reach" : "impressions", before, after,
				  100 * y->churn_rate_monthly, 100 * x->churn_rate_monthly);
		if (n->n && np->n) {
			double d = v->nps_change, moe = v->nps_change_moe;
			if (d != 0 && fabs(d) < moe)
				alert_add(v, cap, VIEW_AL_NPS_WITHIN_MOE, -1, subj,
					  "NPS moved %+.1f -> %+.1f, less than the combined margin "
					  "+/-%.1f: not a real change",
					  np->nps, n->nps, moe);
			double md = alert_def(n->mean_detractor_score) &&
					    alert_def(np->mean_detractor_score)
					? np->mean_detractor_score - n->mean_detractor_score
					: 0;
			double hr = n->hard_share - np->hard_share;
			if (fabs(d) < cfg->nps_shift_points &&
			    (md >= cfg->detractor_mean_drop || hr >= cfg->hard_share_rise))
				alert_add(v, cap, VIEW_AL_NPS_HIDES_SHIFT, -1, subj,
					  "NPS barely moved (%+.1f -> %+.1f) but detractors got "
					  "harsher: mean detractor score %.1f -> %.1f, hard "
					  "detractors (0-4) %.0f%% -> %.0f%%",
					  np->nps, n->nps, np->mean_detractor_score,
					  n->mean_detractor_score, 100 * np->hard_share,
					  100 * n->hard_share);
		}
	}
	double rr = n->response_rate, rp = v->has_prev ? np->response_rate : VIEW_UNDEF;
	if (alert_def(rr) &&
	    ((alert_def(rp) && rp - rr >= cfg->response_drop) || rr < cfg->response_rate_min)) {
		if (alert_def(rp))
			alert_add(v, cap, VIEW_AL_SURVEY_RESPONSE_DROP, -1, subj,
				  "survey response rate %.1f%% -> %.1f%% of invitations: the NPS "
				  "sample is self-selecting",
				  100 * rp, 100 * rr);
		else
			alert_add(v, cap, VIEW_AL_SURVEY_RESPONSE_DROP, -1, subj,
				  "survey response rate is %.1f%% of invitations: the NPS sample "
				  "is self-selecting",
				  100 * rr);
	}
}

/* What the scores predict (SPEC 3.6): from the churn of the window's
 * respondents by band, with Wilson intervals deciding when the counts are
 * enough. */
static void alert_outcomes(struct view *v, const struct config *cfg, size_t *cap)
{
	const struct outcome_set *o = &v->outcomes;
	const struct outcome_counts *b = o->band;
	double r[OUTCOME_NBANDS], lo[OUTCOME_NBANDS], hi[OUTCOME_NBANDS];
	char subj[64], words[256];
	for (int k = 0; k < OUTCOME_NBANDS; k++)
		outcome_rate(b[k].churned, b[k].respondents, &r[k], &lo[k], &hi[k]);
	if (v->win.days)
		snprintf(subj, sizeof subj, "last %dd", v->win.days);
	else
		snprintf(subj, sizeof subj, "all data");
	/* soft detractors clearly below hard ones (their intervals apart) and
	 * nearer the passives by more than the margin: NPS subtracts people
	 * who stay like passives do */
	if (alert_def(r[OUTCOME_HARD]) && alert_def(r[OUTCOME_SOFT]) &&
	    alert_def(r[OUTCOME_PASSIVE]) && hi[OUTCOME_SOFT] < lo[OUTCOME_HARD] &&
	    fabs(r[OUTCOME_SOFT] - r[OUTCOME_PASSIVE]) + cfg->soft_stay_margin <
		    fabs(r[OUTCOME_SOFT] - r[OUTCOME_HARD])) {
		outcome_sentence(o, 1, words, sizeof words);
		alert_add(v, cap, VIEW_AL_SOFT_DETRACTORS_STAY, -1, subj,
			  "%s: NPS counts these %u customers as detractors, but they stay like "
			  "passives",
			  words, b[OUTCOME_SOFT].respondents);
	}
	/* hard detractors leave more than promoters, beyond both intervals
	 * and the configured gap: the score predicts real loss */
	if (alert_def(r[OUTCOME_HARD]) && alert_def(r[OUTCOME_PROMOTER]) &&
	    lo[OUTCOME_HARD] > hi[OUTCOME_PROMOTER] &&
	    r[OUTCOME_HARD] - r[OUTCOME_PROMOTER] >= cfg->detractors_leave_gap)
		alert_add(v, cap, VIEW_AL_DETRACTORS_LEAVE, -1, subj,
			  "hard detractors (0-4) churned %.0f%% (%u of %u) against %.0f%% of "
			  "promoters (%u of %u): the score predicts customers lost",
			  100 * r[OUTCOME_HARD], b[OUTCOME_HARD].churned,
			  b[OUTCOME_HARD].respondents, 100 * r[OUTCOME_PROMOTER],
			  b[OUTCOME_PROMOTER].churned, b[OUTCOME_PROMOTER].respondents);
}

static int alert_cmp(const void *a, const void *b)
{
	const struct view_alert *x = a, *y = b;
	if (x->severity != y->severity)
		return y->severity - x->severity;
	if (x->campaign != y->campaign)
		return x->campaign < y->campaign ? -1 : 1; /* window first, then by start */
	return x->kind - y->kind;
}

void alert_build(struct view *v, const struct config *cfg)
{
	size_t cap = 0;
	alert_campaigns(v, cfg, &cap);
	alert_window(v, cfg, &cap);
	alert_outcomes(v, cfg, &cap);
	if (v->nalerts)
		qsort(v->alerts, v->nalerts, sizeof *v->alerts, alert_cmp);
}
